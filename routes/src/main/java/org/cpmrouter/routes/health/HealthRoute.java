package org.cpmrouter.routes.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.cpmrouter.groupstore.CpmDataStores;
import org.cpmrouter.rules.PolicyEngine;
import org.cpmrouter.rules.RuleSet;
import org.cpmrouter.sip.camel.SipMessageComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health/live} and {@code GET /health/ready} on the admin HTTP server: {@code 200} when every check of
 * its kind is up, else {@code 503}, with a JSON body naming each check, its state and why:
 * <pre>
 * {"status":"UP","checks":[{"name":"sip","status":"UP","message":"listening on 127.0.0.1:5060 (udp+tcp)"},...]}
 * </pre>
 * Live: the process serves (the Camel context is started). Ready: SIP listening, the store open, rules loaded, not
 * draining, and the SMSC bound when SMS interworking is on (that check is the Interworking Function's). The checks
 * are Camel health checks ({@link CpmHealthCheck}); this route registers the core's. No admin token is asked for
 * these two paths (see {@code docs/operations.md}). A change of readiness is one log line; a probe is none.
 */
public final class HealthRoute extends RouteBuilder {

    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";

    private static final Logger LOG = LoggerFactory.getLogger(HealthRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String sipHost;
    private final int sipPort;
    private final List<String> sipTransports;
    private final CpmDataStores stores;
    private final PolicyEngine engine;
    private final AtomicReference<String> lastReadiness = new AtomicReference<>("");

    public HealthRoute(String sipHost, int sipPort, List<String> sipTransports, CpmDataStores stores,
                       PolicyEngine engine) {
        this.sipHost = sipHost;
        this.sipPort = sipPort;
        this.sipTransports = sipTransports;
        this.stores = stores;
        this.engine = engine;
    }

    /**
     * The camel-main properties of Camel's health-check registry: on, with the router's checks only (Camel's own
     * per-route and per-consumer checks stay off: the router's say what an operator needs, in its words).
     */
    public static Map<String, String> camelMainProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.health.enabled", "true");
        p.put("camel.health.routesEnabled", "false");
        p.put("camel.health.consumersEnabled", "false");
        p.put("camel.health.producersEnabled", "false");
        p.put("camel.health.registryEnabled", "false");
        return p;
    }

    @Override
    public void configure() {
        CpmHealthCheck.register(getContext(), "camel-context", CpmHealthCheck.Kind.LIVENESS, this::contextStarted);
        CpmHealthCheck.register(getContext(), "sip", CpmHealthCheck.Kind.READINESS, this::sipListening);
        CpmHealthCheck.register(getContext(), "store", CpmHealthCheck.Kind.READINESS, this::storeOpen);
        CpmHealthCheck.register(getContext(), "rules", CpmHealthCheck.Kind.READINESS, this::rulesLoaded);
        CpmHealthCheck.register(getContext(), "draining", CpmHealthCheck.Kind.READINESS, this::notDraining);

        from("platform-http:" + LIVE_PATH + "?httpMethodRestrict=GET,HEAD").routeId("admin-health-live")
                .process(e -> answer(e, CpmHealthCheck.Kind.LIVENESS)).id("health-live");
        from("platform-http:" + READY_PATH + "?httpMethodRestrict=GET,HEAD").routeId("admin-health-ready")
                .process(e -> answer(e, CpmHealthCheck.Kind.READINESS)).id("health-ready");
    }

    private CpmHealthCheck.State contextStarted() {
        return getContext().getStatus().isStarted() ? CpmHealthCheck.State.up("Camel context started")
                : CpmHealthCheck.State.down("Camel context " + getContext().getStatus());
    }

    private CpmHealthCheck.State sipListening() {
        String where = sipHost + ":" + sipPort + " (" + String.join("+", sipTransports) + ")";
        SipMessageComponent sip = sipComponent();
        return sip != null && sip.listensOn(sipHost, sipPort) ? CpmHealthCheck.State.up("listening on " + where)
                : CpmHealthCheck.State.down("not listening on " + where);
    }

    private CpmHealthCheck.State storeOpen() {
        return stores.isOpen() ? CpmHealthCheck.State.up("open")
                : CpmHealthCheck.State.down("closed: the store's cache manager is not running");
    }

    private CpmHealthCheck.State rulesLoaded() {
        RuleSet rules = engine.current();
        int count = rules.ruleIds().size();
        String what = count + " rules, ruleset " + rules.hash() + " from " + rules.directory();
        return count > 0 ? CpmHealthCheck.State.up(what) : CpmHealthCheck.State.down("no rules: " + what);
    }

    private CpmHealthCheck.State notDraining() {
        SipMessageComponent sip = sipComponent();
        return sip != null && sip.refusesNewRequests()
                ? CpmHealthCheck.State.down("draining before stop: new SIP requests are answered 503")
                : CpmHealthCheck.State.up("taking new requests");
    }

    private SipMessageComponent sipComponent() {
        return getContext().hasComponent("sip-message") instanceof SipMessageComponent sip ? sip : null;
    }

    private void answer(Exchange exchange, CpmHealthCheck.Kind kind) throws JsonProcessingException {
        List<HealthCheck> checks = new ArrayList<>(CpmHealthCheck.registry(getContext()).stream()
                .filter(c -> CpmHealthCheck.GROUP.equals(c.getGroup()))
                .filter(c -> kind == CpmHealthCheck.Kind.LIVENESS ? c.isLiveness() : c.isReadiness())
                .toList());
        checks.sort(Comparator.comparing(HealthCheck::getId));
        boolean up = true;
        List<Map<String, Object>> named = new ArrayList<>();
        List<String> down = new ArrayList<>();
        for (HealthCheck check : checks) {
            HealthCheck.Result result = kind == CpmHealthCheck.Kind.LIVENESS ? check.callLiveness()
                    : check.callReadiness();
            boolean checkUp = result.getState() == HealthCheck.State.UP;
            up &= checkUp;
            if (!checkUp) {
                down.add(check.getId());
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", check.getId());
            entry.put("status", result.getState().name());
            entry.put("message", result.getMessage().orElse(""));
            named.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", named);
        if (kind == CpmHealthCheck.Kind.READINESS) {
            String now = up ? "ready" : "not ready: " + String.join(", ", down) + " down";
            if (!now.equals(lastReadiness.getAndSet(now))) {
                LOG.info("health: {}", now);
            }
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsString(body));
    }
}
