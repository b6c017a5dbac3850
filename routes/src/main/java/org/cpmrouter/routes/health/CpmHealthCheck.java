package org.cpmrouter.routes.health;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;

/**
 * One check of {@code GET /health/live} or {@code GET /health/ready}, in Camel's health-check registry (group
 * {@value #GROUP}): a probe says up or down, with a line a person can read. The parts of the router register theirs
 * ({@link #register}); {@link HealthRoute} asks every check of the group.
 */
public final class CpmHealthCheck extends AbstractHealthCheck {

    /** The group of the router's own checks in Camel's registry. */
    public static final String GROUP = "cpm";

    /** What a probe found: up or down, and why, in words. */
    public record State(boolean up, String message) {

        public static State up(String message) {
            return new State(true, message);
        }

        public static State down(String message) {
            return new State(false, message);
        }
    }

    /** Whether a check answers {@code /health/live} (the process serves) or {@code /health/ready} (takes traffic). */
    public enum Kind { LIVENESS, READINESS }

    private final Kind kind;
    private final Supplier<State> probe;

    private CpmHealthCheck(String id, Kind kind, Supplier<State> probe) {
        super(GROUP, id);
        this.kind = kind;
        this.probe = probe;
    }

    /** Registers a check in the context's health-check registry (made when camel-main has not made one). */
    public static void register(CamelContext context, String id, Kind kind, Supplier<State> probe) {
        registry(context).register(new CpmHealthCheck(id, kind, probe));
    }

    static HealthCheckRegistry registry(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            registry = new DefaultHealthCheckRegistry(context);
            context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
        }
        return registry;
    }

    @Override
    public boolean isLiveness() {
        return kind == Kind.LIVENESS;
    }

    @Override
    public boolean isReadiness() {
        return kind == Kind.READINESS;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        State state;
        try {
            state = probe.get();
        } catch (RuntimeException e) {
            state = State.down("the check failed: " + e);
        }
        builder.message(state.message());
        if (state.up()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
