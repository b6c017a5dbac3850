package org.cpmrouter.rules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cpmrouter.rules.facts.KnownGroup;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.GroupMember;
import org.cpmrouter.rules.facts.GroupSendPolicy;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.RegisteredClient;
import org.cpmrouter.rules.facts.Stage;

/**
 * The cost of one rule decision with the shipped {@code .drl} files: a main for {@code bench/}, not a test (timing
 * belongs in the benchmark). For each stage a user-to-user message passes (and the Controlling Function's), it warms
 * up, then times N decisions on one thread and prints the thread's CPU microseconds per decision; then the four stages of one
 * user-to-user message back to back. No decision listener is attached (no log, no audit line): this is the engine.
 *
 * <pre>java -cp rules/target/test-classes:routes/target/lib/* org.cpmrouter.rules.RuleDecisionBench [RULES_DIR] [N]</pre>
 */
public final class RuleDecisionBench {

    private static final String ALICE = "sip:alice@cpm.example.com";
    private static final String BOB = "sip:bob@cpm.example.com";
    private static final String GROUP = "sip:family@cpm.example.com";

    private RuleDecisionBench() {
    }

    /** One decision to time: the context and the facts Java would give it. */
    private record Case(String name, MessageContext context, List<Object> facts, String expectRule) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "rules");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        PolicyEngine engine = new PolicyEngine(RuleCompiler.compile(dir), List.of());
        List<Case> message = List.of(
                new Case("originating authorization", context(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB),
                        List.of(new KnownSubscriber(ALICE, Party.SENDER, true, false)), "AUTH-090"),
                new Case("address-type routing", context(Stage.ADDRESS_ROUTING, ALICE, BOB),
                        List.of(new KnownSubscriber(BOB, Party.TARGET, true, false)), "ROUTE-010"),
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
        for (Case c : all) {
            check(engine, c);
        }
        for (int round = 0; round < 3; round++) { // warm-up: let the JIT compile the engine's paths
            for (Case c : all) {
                time(engine, List.of(c), n / 4);
            }
        }
        System.out.println("rule decision cost, shipped rules of " + dir.toAbsolutePath().normalize()
                + " (ruleset " + engine.current().hash() + "), " + n + " decisions each, one thread, no listener");
        for (Case c : all) {
            print(c.name(), time(engine, List.of(c), n));
        }
        print("user-to-user message (4 stages)", time(engine, message, n / 4) * message.size());
    }

    private static void print(String what, double microseconds) {
        System.out.println(String.format(Locale.ROOT, "rule_decision_us\t%s\t%.2f", what, microseconds));
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
