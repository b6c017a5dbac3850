package org.cpmrouter.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.cpmrouter.rules.facts.AllowedSender;
import org.cpmrouter.rules.facts.GroupMember;
import org.cpmrouter.rules.facts.GroupSendPolicy;
import org.cpmrouter.rules.facts.InterworkingService;
import org.cpmrouter.rules.facts.KnownGroup;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.NonCpmDomain;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.RegisteredClient;
import org.cpmrouter.rules.facts.Stage;
import org.cpmrouter.rules.facts.TargetUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kie.api.definition.rule.Rule;

/**
 * Sessions are emptied and reused between decisions: nothing of one decision (a fact, a rule-written or logically
 * inserted fact, an agenda item, a fired rule id) may reach the next. Every decision of a reusing engine is compared
 * with the same decision made in a brand-new session ({@link RuleSet#withNewSessionPerDecision()}).
 */
class SessionReuseTest {

    private static final String ALICE = "sip:alice@cpm.example.net";
    private static final String BOB = "sip:bob@cpm.example.net";
    private static final String GROUP = "sip:family@cpm.example.net";
    private static final String NUMBER = "tel:+491701234567";
    private static final String SMS_USER = "sip:carol@sms.example.net";
    private static final List<String> SENDERS = Arrays.asList(ALICE, BOB, null);
    private static final List<String> TARGETS = List.of(BOB, ALICE, GROUP, NUMBER, SMS_USER);

    /** One decision to make: the context and the facts Java would give it. */
    private record Case(MessageContext context, List<Object> facts) {
    }

    @Test
    void shippedRulesReuseSessions() throws Exception {
        assertTrue(TestRules.shipped().reusesSessions(), "every shipped rule starts with a MessageContext pattern");
    }

    @Test
    void manyInterleavedDecisionsOnOneEngineEqualDecisionsInNewSessions() throws Exception {
        RuleSet shipped = RuleCompiler.compile(TestRules.shippedDirectory()); // its own sessions: no other test's
        PolicyEngine reusing = new PolicyEngine(shipped, List.of());
        PolicyEngine reference = new PolicyEngine(shipped.withNewSessionPerDecision(), List.of());
        Random random = new Random(20261124);
        List<Case> cases = randomCases(random, 300);
        Map<Case, Decision> expected = new HashMap<>();
        for (Case c : cases) {
            expected.put(c, reference.decide(c.context(), c.facts()));
        }
        assertTrue(expected.values().stream().map(Decision::decidingRuleId).distinct().count() >= 15,
                "the cases reach most rules: " + expected.values().stream().map(Decision::decidingRuleId).distinct()
                        .sorted().toList());

        for (int pass = 0; pass < 3; pass++) {
            List<Case> order = new ArrayList<>(cases);
            Collections.shuffle(order, random);
            for (Case c : order) {
                assertEquals(expected.get(c), reusing.decide(c.context(), c.facts()), () -> "decision for " + c);
            }
        }
        assertEquals(1, shipped.idleSessions(), "one thread deciding: one session, reused, never thrown away");
    }

    @Test
    void aSessionARuleThrewInIsThrownAwayAndTheNextDecisionsAreUnaffected(@TempDir Path dir) throws Exception {
        DrlFixtures.copy("throwing-and-logical-rules.drl", dir);
        RuleSet rules = RuleCompiler.compile(dir);
        assertTrue(rules.reusesSessions());
        PolicyEngine reusing = new PolicyEngine(rules, List.of());
        PolicyEngine reference = new PolicyEngine(rules.withNewSessionPerDecision(), List.of());
        List<MessageContext> contexts = List.of(
                TestRules.message(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB),
                TestRules.message(Stage.ORIGINATING_AUTHORIZATION, null, BOB), // condition throws
                TestRules.message(Stage.TERMINATING_AUTHORIZATION, ALICE, ALICE),
                TestRules.message(Stage.TERMINATING_AUTHORIZATION, ALICE, BOB)); // consequence throws
        Map<MessageContext, Decision> expected = new HashMap<>();
        for (MessageContext c : contexts) {
            expected.put(c, reference.decide(c, List.of()));
        }
        assertEquals(500, expected.get(contexts.get(1)).status());
        assertEquals("R-012", expected.get(contexts.get(3)).decidingRuleId());

        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            MessageContext c = contexts.get(random.nextInt(contexts.size()));
            assertEquals(expected.get(c), reusing.decide(c, List.of()), () -> "decision for " + c);
        }
        assertEquals(expected.get(contexts.get(0)), reusing.decide(contexts.get(0), List.of()));
        assertEquals(1, rules.idleSessions());
        assertEquals(expected.get(contexts.get(3)), reusing.decide(contexts.get(3), List.of()));
        assertEquals(0, rules.idleSessions(), "the session the consequence threw in was not kept");
        assertEquals(expected.get(contexts.get(1)), reusing.decide(contexts.get(1), List.of()));
        assertEquals(0, rules.idleSessions(), "the session the condition threw in was not kept");
        assertEquals(expected.get(contexts.get(2)), reusing.decide(contexts.get(2), List.of()));
        assertEquals(1, rules.idleSessions());
    }

    @Test
    void aRuleThatMatchesWithoutAFactTurnsReuseOff(@TempDir Path dir) throws Exception {
        // fires in a new session whatever the facts; a reused session would keep its match and not fire it again
        DrlFixtures.copy("unanchored-permit.drl", dir);
        RuleSet rules = RuleCompiler.compile(dir);
        assertFalse(rules.reusesSessions());
        PolicyEngine engine = new PolicyEngine(rules, List.of());
        MessageContext c = TestRules.message(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB);
        for (int i = 0; i < 3; i++) {
            Decision d = engine.decide(c, List.of());
            assertEquals(List.of("U-001"), d.firedRuleIds(), "decision " + i);
            assertEquals("U-001", d.decidingRuleId());
        }
    }

    @Test
    void anAgendaGroupTurnsReuseOff(@TempDir Path dir) throws Exception {
        DrlFixtures.copy("agenda-group-permit.drl", dir);
        RuleSet rules = RuleCompiler.compile(dir);
        assertFalse(rules.reusesSessions());
        PolicyEngine engine = new PolicyEngine(rules, List.of());
        Decision d = engine.decide(TestRules.message(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB), List.of());
        assertEquals("G-001", d.decidingRuleId());
    }

    /**
     * Two threads decide while the rules are replaced back and forth: each decision equals the new-session
     * decision of the rule set it names, so a decision in flight finished on its own rules and no session crossed
     * from one rule set to the other.
     */
    @Test
    void decisionsOnTwoThreadsDuringReplacementsMatchTheRuleSetTheyName(@TempDir Path dir) throws Exception {
        RuleSet shipped = TestRules.shipped();
        TestRules.copyShipped(dir);
        DrlFixtures.copy("bar-bob.drl", dir);
        RuleSet other = RuleCompiler.compile(dir);
        assertNotEquals(shipped.hash(), other.hash());
        Map<String, PolicyEngine> references = Map.of(
                shipped.hash(), new PolicyEngine(shipped.withNewSessionPerDecision(), List.of()),
                other.hash(), new PolicyEngine(other.withNewSessionPerDecision(), List.of()));

        PolicyEngine engine = new PolicyEngine(shipped, List.of());
        List<Case> cases = randomCases(new Random(99), 60);
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(2);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Random random = new Random(t);
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 1500 && mismatches.isEmpty(); i++) {
                        Case c = cases.get(random.nextInt(cases.size()));
                        Decision d = engine.decide(c.context(), c.facts());
                        Decision want = references.get(d.ruleSetHash()).decide(c.context(), c.facts());
                        if (!want.equals(d)) {
                            mismatches.add(c + ": " + d + " instead of " + want);
                        }
                    }
                } catch (RuntimeException | Error e) {
                    mismatches.add(e.toString());
                } finally {
                    done.countDown();
                }
            }, "decider-" + t);
            threads.add(thread);
            thread.start();
        }
        int replacements = 0;
        while (done.getCount() > 0) {
            engine.replace(replacements % 2 == 0 ? other : shipped);
            replacements++;
            Thread.sleep(2);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), List.copyOf(mismatches));
        assertTrue(replacements > 2, "the rules were replaced while deciding: " + replacements);
    }

    /**
     * The decision is read off, and the session emptied through, the handles its listener keeps: after every
     * decision they name exactly the objects Drools' store holds, for the shipped rules and for rules that delete
     * a fact or withdraw a logically inserted one while deciding.
     */
    @Test
    void theFactsASessionListsAreTheFactsDroolsHolds(@TempDir Path dir) throws Exception {
        DrlFixtures.copy("retracting-rules.drl", dir);
        RuleSet retracting = RuleCompiler.compile(dir);
        assertTrue(retracting.reusesSessions());
        RuleSet shipped = RuleCompiler.compile(TestRules.shippedDirectory());
        for (Case c : randomCases(new Random(17), 200)) {
            assertListedFactsAreStoredFacts(shipped, c);
        }
        for (Stage stage : List.of(Stage.ORIGINATING_AUTHORIZATION, Stage.TERMINATING_AUTHORIZATION)) {
            for (int i = 0; i < 3; i++) {
                assertListedFactsAreStoredFacts(retracting, new Case(TestRules.message(stage, ALICE, BOB), List.of()));
            }
        }
        assertEquals(1, shipped.idleSessions(), "every session was emptied and kept");
        assertEquals(1, retracting.idleSessions(), "every session was emptied and kept");
    }

    private static void assertListedFactsAreStoredFacts(RuleSet rules, Case c) {
        DecisionSession session = rules.borrowSession();
        boolean intact = false;
        try {
            session.collectFiredInto(new ArrayList<>());
            session.insert(c.context());
            c.facts().forEach(session::insert);
            session.fireAllRules();
            intact = true;
            List<Object> listed = new ArrayList<>();
            for (int i = 0; i < session.factCount(); i++) {
                listed.add(session.fact(i));
            }
            Collection<?> stored = session.kieSession().getObjects();
            assertEquals(stored.size(), listed.size(), () -> c + ": listed " + listed + ", stored " + stored);
            for (Object fact : stored) {
                assertTrue(listed.stream().anyMatch(l -> l == fact),
                        () -> c + ": " + fact + " not listed in " + listed);
            }
        } finally {
            rules.giveBack(session, intact, c.context().getCallId());
        }
    }

    /**
     * A fact a rule deletes, and a logically inserted fact whose support goes, are out of the decision: a reused
     * session that still counted them would deny (the taken-back denial) or report an address type.
     */
    @Test
    void factsTheRulesTakeOutDoNotDecide(@TempDir Path dir) throws Exception {
        DrlFixtures.copy("retracting-rules.drl", dir);
        RuleSet rules = RuleCompiler.compile(dir);
        PolicyEngine engine = new PolicyEngine(rules, List.of());
        MessageContext originating = TestRules.message(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB);
        MessageContext terminating = TestRules.message(Stage.TERMINATING_AUTHORIZATION, ALICE, BOB);
        for (int i = 0; i < 5; i++) {
            Decision sent = engine.decide(originating, List.of());
            assertEquals(new Decision(Verdict.PERMIT, 0, "Permitted", null, null, "X-002", List.of("X-001", "X-002"),
                    rules.hash()), sent, "decision " + i);
            Decision received = engine.decide(terminating, List.of());
            assertEquals(new Decision(Verdict.PERMIT, 0, "Permitted", null, null, "X-012", List.of("X-011", "X-012"),
                    rules.hash()), received, "decision " + i);
        }
        assertEquals(1, rules.idleSessions());
    }

    /**
     * A reload swaps the rule set between two decisions: a session borrowed from the old rules goes back to the old
     * rules' idle sessions, the new rules decide in sessions of their own, and each rule set names the rules of
     * the other's compiled base by name, not by its own identity map.
     */
    @Test
    void aSessionGoesBackToTheRuleSetItCameFromAcrossAReplacement(@TempDir Path dir) throws Exception {
        DrlFixtures.copy("retracting-rules.drl", dir);
        RuleSet first = RuleCompiler.compile(dir);
        RuleSet second = RuleCompiler.compile(dir); // same files and hash, its own compiled rules
        PolicyEngine engine = new PolicyEngine(first, List.of());
        MessageContext c = TestRules.message(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB);
        Decision before = engine.decide(c, List.of());
        assertEquals(1, first.idleSessions());

        DecisionSession inFlight = first.borrowSession(); // a decision started on the first rules
        assertTrue(inFlight.belongsTo(first));
        engine.replace(second);
        assertEquals(before, engine.decide(c, List.of()));
        assertEquals(0, first.idleSessions(), "the new rules took no session of the old");
        assertEquals(1, second.idleSessions());
        first.giveBack(inFlight, true, "in-flight@test");
        assertEquals(1, first.idleSessions(), "the old rules' session went back to the old rules");
        assertEquals(1, second.idleSessions());
        DecisionSession ofSecond = second.borrowSession();
        assertTrue(ofSecond.belongsTo(second), "the new rules' idle session is their own");
        assertFalse(ofSecond.belongsTo(first));
        first.giveBack(ofSecond, true, "misplaced@test");
        assertEquals(1, first.idleSessions(), "a session of other rules is not kept");
        assertEquals(0, second.idleSessions());

        Rule ruleOfFirst = first.kieBase().getRule("org.cpmrouter.policy", "X-001 Deny first");
        Rule ruleOfSecond = second.kieBase().getRule("org.cpmrouter.policy", "X-001 Deny first");
        assertNotSame(ruleOfFirst, ruleOfSecond);
        assertEquals("X-001", first.idOf(ruleOfFirst));
        assertEquals("X-001", second.idOf(ruleOfFirst));
        assertEquals("X-001", first.idOf(ruleOfSecond));
    }

    /** Random decisions over every stage, with random subsets of the facts Java could give them. */
    private static List<Case> randomCases(Random random, int count) {
        List<Case> cases = new ArrayList<>();
        Stage[] stages = Stage.values();
        GroupSendPolicy[] policies = GroupSendPolicy.values();
        for (int i = 0; i < count; i++) {
            Stage stage = stages[random.nextInt(stages.length)];
            String sender = SENDERS.get(random.nextInt(SENDERS.size()));
            String target = TARGETS.get(random.nextInt(TARGETS.size()));
            MessageContext.Builder context = TestRules.message(stage, sender, target).toBuilder()
                    .callId("reuse-" + i + "@test");
            if (stage == Stage.INTERWORKING_SELECTION) {
                context.nonCpmServiceId(Arrays.asList(null, "SMS", "MMS").get(random.nextInt(3)));
            }
            List<Object> candidates = List.of(
                    new KnownSubscriber(sender == null ? ALICE : sender, Party.SENDER, random.nextInt(4) > 0,
                            random.nextInt(4) == 0),
                    new KnownSubscriber(target, Party.TARGET, random.nextInt(4) > 0, random.nextInt(4) == 0),
                    new KnownGroup(GROUP, "Family", policies[random.nextInt(policies.length)], random.nextInt(4) > 0),
                    new GroupMember(GROUP, sender == null ? ALICE : sender),
                    new AllowedSender(GROUP, sender == null ? ALICE : sender),
                    new RegisteredClient(target, random.nextInt(2)),
                    new TargetUri(target, target.startsWith("tel:"), target.startsWith("tel:") ? null
                            : target.substring(target.indexOf('@') + 1)),
                    new NonCpmDomain("sms.example.net"),
                    new InterworkingService("SMS"));
            List<Object> facts = new ArrayList<>();
            for (Object fact : candidates) {
                if (random.nextBoolean()) {
                    facts.add(fact);
                }
            }
            cases.add(new Case(context.build(), List.copyOf(facts)));
        }
        return cases;
    }
}
