package org.cpmrouter.groupstore;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RegistrationStore} held in a {@link ConcurrentHashMap}, updated with atomic {@code compute} calls.
 * Nothing survives a restart; meant for tests and single-process demos.
 */
public final class InMemoryRegistrationStore implements RegistrationStore {

    private final ConcurrentMap<String, List<Binding>> bindingsByAor = new ConcurrentHashMap<>();
    private final Clock clock;

    /** Creates an empty store using the system UTC clock. */
    public InMemoryRegistrationStore() {
        this(Clock.systemUTC());
    }

    /** Creates an empty store reading time from {@code clock}. */
    public InMemoryRegistrationStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<Binding> activeBindings(String aor) {
        Objects.requireNonNull(aor, "aor");
        List<Binding> bindings = bindingsByAor.get(aor);
        return bindings == null ? List.of() : Bindings.active(bindings, clock.millis());
    }

    @Override
    public Binding bind(String aor, String contact, long expiresSeconds, String callId, long cseq,
                        List<String> path, String instance) {
        long now = clock.millis();
        Binding binding = Bindings.newBinding(aor, contact, expiresSeconds, callId, cseq, path, instance, now);
        bindingsByAor.compute(aor, (key, old) -> Bindings.upsert(old == null ? List.of() : old, binding, now));
        return binding;
    }

    @Override
    public boolean unbind(String aor, String contact) {
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(contact, "contact");
        long now = clock.millis();
        AtomicBoolean removed = new AtomicBoolean();
        bindingsByAor.computeIfPresent(aor, (key, old) -> {
            removed.set(Bindings.containsActive(old, contact, now));
            List<Binding> rest = Bindings.without(old, contact, now);
            return rest.isEmpty() ? null : rest;
        });
        return removed.get();
    }

    @Override
    public int unbindAll(String aor) {
        Objects.requireNonNull(aor, "aor");
        long now = clock.millis();
        AtomicInteger removed = new AtomicInteger();
        bindingsByAor.computeIfPresent(aor, (key, old) -> {
            removed.set(Bindings.countActive(old, now));
            return null;
        });
        return removed.get();
    }
}
