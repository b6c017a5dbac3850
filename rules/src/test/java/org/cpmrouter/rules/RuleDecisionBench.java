package org.cpmrouter.rules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

import org.cpmrouter.rules.facts.KnownGroup;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.GroupMember;
import org.cpmrouter.rules.facts.GroupSendPolicy;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.RegisteredClient;
import org.cpmrouter.rules.facts.Stage;
import org.cpmrouter.rules.facts.TargetUri;
import org.cpmrouter.rules.facts.UriListService;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;

/**
 * The cost of one rule decision with the shipped {@code .drl} files: a main for {@code bench/}, not a test (timing
 * belongs in the benchmark). For each stage a user-to-user message passes (and the Controlling Function's), it warms
 * up, then times N decisions on one thread and prints the thread's CPU microseconds per decision; then the four stages of one
 * user-to-user message back to back. Each measurement is repeated REPS times; best and median are printed.
 *
 * <p>MODE {@code none} (the default) attaches no decision listener: this is the engine. MODE {@code listeners}
 * attaches the two the router attaches ({@link DecisionLog}, {@link JsonDecisionAudit}), their loggers at INFO with
 * the router's patterns, into an appender that encodes each line and discards the bytes ({@link DiscardingAppender}):
 * this is a decision as the router pays for it, minus the disk.
 *
 * <pre>java -cp rules/target/classes:rules/target/test-classes:$(cat /tmp/rules.cp) org.cpmrouter.rules.RuleDecisionBench [RULES_DIR] [N] [none|listeners] [REPS] [CASE]</pre>
 *
 * <p>CASE, when given, times only the cases whose name starts with it (for a profiler: {@code "address-type"}).
 */
public final class RuleDecisionBench {

    private static final String ALICE = "sip:alice@cpm.example.com";
    private static final String BOB = "sip:bob@cpm.example.com";
    private static final String GROUP = "sip:family@cpm.example.com";
    private static final String DOMAIN = "cpm.example.com";
    /** The shipped cpm.uri-list.address: the router gives it to every routing decision. */
    private static final String URI_LIST = "sip:exploder@cpm.example.com";

    private RuleDecisionBench() {
    }

    /** One decision to time: the context and the facts Java would give it. */
    private record Case(String name, MessageContext context, List<Object> facts, String expectRule) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "rules");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        boolean withListeners = args.length > 2 && args[2].equals("listeners");
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        String only = args.length > 4 ? args[4] : null;
        List<DecisionListener> listeners = List.of();
        if (withListeners) {
            discardDecisionLogs();
            listeners = List.of(new DecisionLog(), new JsonDecisionAudit());
        }
        PolicyEngine engine = new PolicyEngine(RuleCompiler.compile(dir), listeners);
        List<Case> message = List.of(
                new Case("originating authorization", context(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB),
                        List.of(new KnownSubscriber(ALICE, Party.SENDER, true, false)), "AUTH-090"),
                new Case("address-type routing", context(Stage.ADDRESS_ROUTING, ALICE, BOB),
                        List.of(new UriListService(URI_LIST), new KnownSubscriber(BOB, Party.TARGET, true, false),
                                new TargetUri(BOB, false, DOMAIN)), "ROUTE-010"),
                new Case("terminating authorization", context(Stage.TERMINATING_AUTHORIZATION, ALICE, BOB),
                        List.of(new KnownSubscriber(BOB, Party.TARGET, true, false)), "AUTH-190"),
                new Case("recipient delivery", context(Stage.RECIPIENT_DELIVERY, ALICE, BOB),
                        List.of(new RegisteredClient(BOB, 1)), "DELIVER-010"));
        Case group = new Case("group authorization", context(Stage.CONTROLLING_AUTHORIZATION, ALICE, GROUP),
                List.of(new KnownSubscriber(ALICE, Party.SENDER, true, false),
                        new KnownGroup(GROUP, "Family", GroupSendPolicy.MEMBERS_ONLY, true),
                        new GroupMember(GROUP, ALICE)), "GROUP-081");

        List<Case> all = new ArrayList<>(message);
        all.add(group);
        if (only != null) {
            all.removeIf(c -> !c.name().startsWith(only));
        }
        for (Case c : all) {
            check(engine, c);
        }
        for (int round = 0; round < 3; round++) { // warm-up: let the JIT compile the engine's paths
            for (Case c : all) {
                time(engine, List.of(c), n / 4);
            }
        }
        System.out.println("rule decision cost, shipped rules of " + dir.toAbsolutePath().normalize()
                + " (ruleset " + engine.current().hash() + "), " + n + " decisions each, one thread, "
                + (withListeners ? "DecisionLog + JsonDecisionAudit (encoded, discarded)" : "no listener")
                + ", best/median of " + reps);
        for (Case c : all) {
            print(c.name(), repeat(reps, () -> time(engine, List.of(c), n)));
        }
        if (only != null) {
            return;
        }
        print("user-to-user message (4 stages)", repeat(reps, () -> time(engine, message, n / 4) * message.size()));
    }

    /** {@code measurement} run {@code reps} times; the results sorted, fastest first. */
    private static double[] repeat(int reps, DoubleSupplier measurement) {
        double[] results = new double[reps];
        for (int i = 0; i < reps; i++) {
            results[i] = measurement.getAsDouble();
        }
        Arrays.sort(results);
        return results;
    }

    private static void print(String what, double[] sorted) {
        System.out.println(String.format(Locale.ROOT, "rule_decision_us\t%s\tbest %.2f\tmedian %.2f", what,
                sorted[0], sorted[sorted.length / 2]));
    }

    /**
     * The decision log and the audit logger at INFO, with the router's patterns (config/logback.xml, AuditLogFile),
     * into appenders that encode and discard; nothing else of the test logging set-up reaches them.
     */
    private static void discardDecisionLogs() {
        LoggerContext ctx =
                (LoggerContext) LoggerFactory.getILoggerFactory();
        attachDiscarding(ctx, ctx.getLogger(PolicyEngine.class), "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n");
        attachDiscarding(ctx, ctx.getLogger(JsonDecisionAudit.LOGGER), "%msg%n");
    }

    private static void attachDiscarding(LoggerContext ctx, Logger logger,
            String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(pattern);
        encoder.start();
        DiscardingAppender appender = new DiscardingAppender();
        appender.setContext(ctx);
        appender.setName("discard-" + logger.getName());
        appender.setEncoder(encoder);
        appender.start();
        logger.detachAndStopAllAppenders();
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
    }

    private static MessageContext context(Stage stage, String sender, String target) {
        return MessageContext.builder().callId("bench-" + stage).stage(stage).sender(sender).target(target)
                .contentType("message/cpim").bodyLength(300).build();
    }

    private static void check(PolicyEngine engine, Case c) {
        Decision d = engine.decide(c.context(), c.facts());
        if (!d.decidingRuleId().equals(c.expectRule())) {
            throw new IllegalStateException(c.name() + ": expected " + c.expectRule() + ", got " + d);
        }
    }

    /** CPU time of this thread, not wall time: on a shared machine, waiting for a core is not the engine's cost. */
    private static final java.lang.management.ThreadMXBean THREAD_CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU microseconds per decision over {@code rounds} passes of {@code cases}. */
    private static double time(PolicyEngine engine, List<Case> cases, int rounds) {
        long sink = 0;
        long start = THREAD_CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            for (Case c : cases) {
                sink += engine.decide(c.context(), c.facts()).firedRuleIds().size();
            }
        }
        long elapsed = THREAD_CPU.getCurrentThreadCpuTime() - start;
        if (sink == 42) {
            System.out.println(); // keeps the JIT from dropping the loop
        }
        return elapsed / 1000.0 / rounds / cases.size();
    }
}
