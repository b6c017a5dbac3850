package org.cpmrouter.routes.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.cpmrouter.rules.RuleReloader;
import org.cpmrouter.rules.facts.Stage;
import org.cpmrouter.sip.SipTrafficListener;

/**
 * The router's metrics: the one meter registry of the process, every {@code cpm_*} meter in it, and the JVM's.
 * The routes receive this object and count through its methods; {@code GET /metrics} ({@link MetricsRoute}) writes
 * the registry in the Prometheus text format. Every name, type and label is in {@code docs/metrics.md}.
 *
 * <p>Per message the cost is a few increments: every meter a label value can name is registered once, at start
 * (methods, refusal reasons, outcomes, stages) or on its first use (a response code, a rule id), and looked up
 * afterwards without building a string.
 */
public final class RouterMetrics implements SipTrafficListener, AutoCloseable {

    /** What became of a MESSAGE the router answered, as {@code cpm_messages_total{outcome}} counts it. */
    public enum Outcome {
        /** A recipient's client took it (2xx from a device). */
        DELIVERED("delivered"),
        /** Held for a recipient without a reachable client, 202 (deferred delivery). */
        DEFERRED("deferred"),
        /** Accepted for a Pre-defined Group's members, 202 (the copies: cpm_group_fanout_copies_total). */
        GROUP("group"),
        /** Accepted by the URI-list service for its recipients, 202 (the copies: cpm_uri_list_copies_total). */
        LIST("list"),
        /** Submitted to the SMSC for a non-CPM user, 202. */
        SMS("sms"),
        /** A rule refused it (cpm_policy_refusals_total names the rule). */
        REFUSED("refused"),
        /** Any other error answer: a recipient's refusal, no answer, a full store, a failure. */
        FAILED("failed");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Exchange property where a role marks the outcome it answered with ({@link #markOutcome}). */
    static final String OUTCOME = "cpmMessageOutcome";

    /** Methods counted under their own name; any other is {@code other}. */
    private static final List<String> METHODS = List.of("MESSAGE", "REGISTER", "OPTIONS", "CANCEL", "INVITE", "BYE",
            "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "UPDATE", "PRACK", "REFER");
    /** Status codes registered at start, so that a dashboard finds them before the first one is sent. */
    private static final int[] COMMON_CODES = {100, 200, 202, 400, 401, 403, 404, 408, 480, 500, 503};
    /** Buckets of the decision latency histogram: a decision takes tens of microseconds when all is well. */
    private static final Duration[] DECISION_BUCKETS = {Duration.ofNanos(25_000), Duration.ofNanos(50_000),
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(100)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final Map<String, Counter> requestsByMethod = new HashMap<>();
    private final Counter otherRequests;
    private final Map<Refusal, Counter> refusedByNode = new EnumMap<>(Refusal.class);
    /** Requests dropped unread for a full queue, for the queue timeout; responses dropped for a full queue. */
    private final Counter requestsDroppedFull;
    private final Counter requestsDroppedLate;
    private final Counter responsesDroppedFull;
    private final Counter authChallenges;
    private final Counter authFailures;
    private final AtomicReferenceArray<Counter> responsesByCode = new AtomicReferenceArray<>(700);
    private final AtomicInteger serverTransactions = new AtomicInteger();
    private final AtomicInteger clientTransactions = new AtomicInteger();

    private final Map<Outcome, Counter> messages = new EnumMap<>(Outcome.class);
    private final Map<String, Counter> refusalsByRule = new ConcurrentHashMap<>();
    private final Map<Stage, Timer> decisions = new EnumMap<>(Stage.class);
    private final Map<RuleReloader.ReloadStatus.Outcome, Counter> reloads =
            new EnumMap<>(RuleReloader.ReloadStatus.Outcome.class);

    private final Counter deferredHeld;
    private final Counter deferredDelivered;
    private final Counter deferredExpired;
    private final Counter deferredGivenUp;
    private final Counter fanOutAccepted;
    private final Counter fanOutFailed;
    private final Counter listCopiesAccepted;
    private final Counter listCopiesFailed;
    private final Counter smsSubmitted;
    private final Counter smsFailed;
    private volatile JvmGcMetrics jvmGc;

    public RouterMetrics() {
        for (String method : METHODS) {
            requestsByMethod.put(method, requests(method));
        }
        otherRequests = requests("other");
        refusedByNode.put(Refusal.MALFORMED, refused("malformed"));
        refusedByNode.put(Refusal.OVERLOAD, refused("overload"));
        refusedByNode.put(Refusal.DRAINING, refused("draining"));
        refusedByNode.put(Refusal.BANNED, refused("banned"));
        requestsDroppedFull = dropped("request", "queue_full");
        requestsDroppedLate = dropped("request", "queue_timeout");
        responsesDroppedFull = dropped("response", "queue_full");
        authChallenges = refused("auth_challenge");
        authFailures = refused("auth_failed");
        for (int code : COMMON_CODES) {
            response(code);
        }
        Gauge.builder("cpm.sip.server.transactions", serverTransactions, AtomicInteger::get)
                .description("SIP requests received and not answered with a final response yet")
                .register(registry);
        Gauge.builder("cpm.sip.client.transactions", clientTransactions, AtomicInteger::get)
                .description("SIP requests the router sent that have no final response yet")
                .register(registry);

        for (Outcome outcome : Outcome.values()) {
            messages.put(outcome, Counter.builder("cpm.messages")
                    .description("MESSAGE requests from the network answered, by what became of them")
                    .tag("outcome", outcome.label()).register(registry));
        }
        for (Stage stage : Stage.values()) {
            decisions.put(stage, Timer.builder("cpm.policy.decision")
                    .description("Time the rules took to decide at one decision point")
                    .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
                    .serviceLevelObjectives(DECISION_BUCKETS)
                    .register(registry));
        }
        for (RuleReloader.ReloadStatus.Outcome outcome : RuleReloader.ReloadStatus.Outcome.values()) {
            if (outcome != RuleReloader.ReloadStatus.Outcome.NONE) {
                reloads.put(outcome, Counter.builder("cpm.rules.reloads")
                        .description("Rule-set reload attempts, by result")
                        .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
            }
        }
        deferredHeld = deferred("held");
        deferredDelivered = deferred("delivered");
        deferredExpired = deferred("expired");
        deferredGivenUp = deferred("given_up");
        fanOutAccepted = fanOut("accepted");
        fanOutFailed = fanOut("failed");
        listCopiesAccepted = listCopies("accepted");
        listCopiesFailed = listCopies("failed");
        smsSubmitted = sms("submitted");
        smsFailed = sms("failed");
    }

    /**
     * Adds the JVM's and the process's meters (memory, GC, threads, classes, CPU, uptime): once, for the registry the
     * router serves. A registry made for a dry run or a test does without (the GC meters listen to the JVM until
     * {@link #close}).
     */
    public RouterMetrics withJvmMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        jvmGc = gc;
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return this;
    }

    /** Stops listening to the JVM's collections and closes the registry. */
    @Override
    public void close() {
        JvmGcMetrics gc = jvmGc;
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }

    private Counter requests(String method) {
        return Counter.builder("cpm.sip.requests.received").description("SIP requests received, by method")
                .tag("method", method).register(registry);
    }

    private Counter refused(String reason) {
        return Counter.builder("cpm.sip.requests.refused")
                .description("SIP requests refused before routing, by reason").tag("reason", reason).register(registry);
    }

    private Counter dropped(String kind, String reason) {
        return Counter.builder("cpm.sip.datagrams.dropped")
                .description("SIP datagrams read and dropped unanswered, before parsing, by kind and reason")
                .tag("kind", kind).tag("reason", reason).register(registry);
    }

    private Counter deferred(String event) {
        return Counter.builder("cpm.deferred.messages")
                .description("Deferred delivery: messages held, delivered from the store, expired, given up")
                .tag("event", event).register(registry);
    }

    private Counter fanOut(String result) {
        return Counter.builder("cpm.group.fanout.copies")
                .description("Copies of group messages to members, by the answer: accepted (2xx) or failed")
                .tag("result", result).register(registry);
    }

    private Counter listCopies(String result) {
        return Counter.builder("cpm.uri.list.copies")
                .description("Copies of URI-list messages to recipients, by the answer: accepted (2xx) or failed")
                .tag("result", result).register(registry);
    }

    private Counter sms(String result) {
        return Counter.builder("cpm.sms").description("SMS submissions to the SMSC, by result")
                .tag("result", result).register(registry);
    }

    private Counter response(int status) {
        int code = status < 100 || status > 699 ? 0 : status;
        Counter counter = responsesByCode.get(code);
        if (counter == null) {
            counter = Counter.builder("cpm.sip.responses.sent")
                    .description("SIP responses sent, by code class and code")
                    .tag("class", code == 0 ? "other" : (code / 100) + "xx")
                    .tag("code", code == 0 ? "other" : Integer.toString(code))
                    .register(registry); // the registry gives the same counter to a racing thread
            responsesByCode.set(code, counter);
        }
        return counter;
    }

    /** The registry, for the scrape and for tests. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The registry in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    // SIP, from every node of the sip-message component

    @Override
    public void requestReceived(String method) {
        Counter counter = requestsByMethod.get(method);
        (counter != null ? counter : otherRequests).increment();
    }

    @Override
    public void requestRefused(Refusal reason) {
        refusedByNode.get(reason).increment();
    }

    @Override
    public void datagramDropped(boolean request, Drop reason) {
        if (!request) {
            responsesDroppedFull.increment();
        } else if (reason == Drop.QUEUE_TIMEOUT) {
            requestsDroppedLate.increment();
        } else {
            requestsDroppedFull.increment();
        }
    }

    @Override
    public void responseSent(int status) {
        response(status).increment();
    }

    @Override
    public void serverTransactionStarted() {
        serverTransactions.incrementAndGet();
    }

    @Override
    public void serverTransactionEnded() {
        serverTransactions.decrementAndGet();
    }

    @Override
    public void clientTransactionStarted() {
        clientTransactions.incrementAndGet();
    }

    @Override
    public void clientTransactionEnded() {
        clientTransactions.decrementAndGet();
    }

    /** The authentication step refused a request: 401/407 is a challenge, anything else a failure. */
    public void authenticationRefused(int status) {
        (status == 401 || status == 407 ? authChallenges : authFailures).increment();
    }

    // messages

    /** A role answered the message with this outcome (a 202 that is not a delivery); counted when it is answered. */
    public static void markOutcome(Exchange exchange, Outcome outcome) {
        exchange.setProperty(OUTCOME, outcome);
    }

    /** Counts a MESSAGE from the network once it is answered with {@code status}; a challenge is not counted. */
    public void messageAnswered(Exchange exchange, int status) {
        if (status == 401 || status == 407) {
            return; // the client sends it again with credentials: that one is the message
        }
        Object marked = exchange.getProperty(OUTCOME);
        Outcome outcome;
        if (status >= 200 && status < 300) {
            outcome = marked == Outcome.DEFERRED || marked == Outcome.GROUP || marked == Outcome.LIST
                    || marked == Outcome.SMS ? (Outcome) marked : Outcome.DELIVERED;
        } else {
            outcome = marked == Outcome.REFUSED ? Outcome.REFUSED : Outcome.FAILED;
        }
        messages.get(outcome).increment();
    }

    /** A rule refused the message at a decision point: counted by its id, and the message's outcome is refused. */
    public void refusedByRule(Exchange exchange, String ruleId) {
        refusalsByRule.computeIfAbsent(ruleId, id -> Counter.builder("cpm.policy.refusals")
                .description("Messages a rule refused, by the id of the deciding rule")
                .tag("rule", id).register(registry)).increment();
        if (exchange != null) {
            markOutcome(exchange, Outcome.REFUSED);
        }
    }

    /** How long the rules took to decide at a stage. */
    public void decided(Stage stage, long nanos) {
        decisions.get(stage).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A rule-set reload attempt ended. */
    public void reloaded(RuleReloader.ReloadStatus status) {
        Counter counter = reloads.get(status.outcome());
        if (counter != null) {
            counter.increment();
        }
    }

    /** The rules in force, as a gauge ({@code cpm_rules_loaded}: how many rules). */
    public void watchRules(IntSupplier ruleCount) {
        Gauge.builder("cpm.rules.loaded", ruleCount, s -> s.getAsInt())
                .description("Rules in the rule set in force").strongReference(true).register(registry);
    }

    public void deferredHeld() {
        deferredHeld.increment();
    }

    public void deferredDelivered() {
        deferredDelivered.increment();
    }

    public void deferredExpired() {
        deferredExpired.increment();
    }

    public void deferredGivenUp() {
        deferredGivenUp.increment();
    }

    /** A member's copy of a group message was answered: 2xx (delivered, or held for the member), or not. */
    public void fanOutCopy(boolean accepted) {
        (accepted ? fanOutAccepted : fanOutFailed).increment();
    }

    /** A recipient's copy of a URI-list message was answered: 2xx (delivered, held, or accepted onward), or not. */
    public void listCopy(boolean accepted) {
        (accepted ? listCopiesAccepted : listCopiesFailed).increment();
    }

    /** The SMSC took an SMS (or it was not sent). */
    public void smsSubmission(boolean accepted) {
        (accepted ? smsSubmitted : smsFailed).increment();
    }

    /** The SMPP link's state, as {@code cpm_smsc_link_up} (1 bound, 0 not): only when SMS interworking is on. */
    public void watchSmscLink(BooleanSupplier bound) {
        Gauge.builder("cpm.smsc.link.up", bound, b -> b.getAsBoolean() ? 1 : 0)
                .description("1 while the SMPP link to the SMSC is bound, else 0").strongReference(true)
                .register(registry);
    }

    /**
     * The defences against abuse, read from the counters they keep: bans of source addresses placed, by why
     * ({@code cpm_source_bans_total}), and messages the per-sender rate limit refused
     * ({@code cpm_sender_limit_refusals_total}).
     */
    public void watchDefences(LongSupplier authFailureBans, LongSupplier floodBans, LongSupplier senderLimitRefusals) {
        sourceBans("auth_failure", authFailureBans);
        sourceBans("flood", floodBans);
        FunctionCounter.builder("cpm.sender.limit.refusals", senderLimitRefusals, LongSupplier::getAsLong)
                .description("MESSAGE requests refused 503 by the per-sender rate limit (cpm.limits.sender-rate)")
                .register(registry);
    }

    private void sourceBans(String reason, LongSupplier count) {
        FunctionCounter.builder("cpm.source.bans", count, LongSupplier::getAsLong)
                .description("Source addresses banned, by why: failed authentications or a flood of requests")
                .tag("reason", reason).register(registry);
    }
}
