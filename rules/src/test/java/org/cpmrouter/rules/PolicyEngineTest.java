package org.cpmrouter.rules;

import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.BOB;
import static org.cpmrouter.rules.TestRules.message;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.Permit;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Engine behaviour, on a purpose-built rule set ({@code drl/engine-cases.drl}, compiled once): each stage exercises
 * one resolution case.
 * <ul>
 * <li>ORIGINATING_AUTHORIZATION: an unconditional permit, and a rule whose condition throws for a null sender</li>
 * <li>TERMINATING_AUTHORIZATION: an unconditional permit, and a rule whose consequence throws</li>
 * <li>ADDRESS_ROUTING: a permit, a route and a denial all fire; with content type "conflict" two routes disagree</li>
 * <li>RECIPIENT_DELIVERY: no rule at all</li>
 * </ul>
 */
class PolicyEngineTest {

    private static RuleSet testRules;
    private static RuleSet shipped;

    private ListAppender<ILoggingEvent> log;

    @BeforeAll
    static void compile(@TempDir Path dir) throws RuleCompilationException {
        DrlFixtures.copy("engine-cases.drl", dir);
        testRules = RuleCompiler.compile(dir);
        shipped = TestRules.shipped();
    }

    private ListAppender<ILoggingEvent> captureEngineLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(PolicyEngine.class);
        log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        return log;
    }

    @AfterEach
    void detachLog() {
        if (log != null) {
            ((Logger) LoggerFactory.getLogger(PolicyEngine.class)).detachAppender(log);
        }
    }

    private static MessageContext routing(int bodyLength, String contentType) {
        return MessageContext.builder().callId("c1").stage(Stage.ADDRESS_ROUTING).sender(ALICE).target(BOB)
                .contentType(contentType).bodyLength(bodyLength).build();
    }

    @Test
    void should_deny_500_naming_the_rule_when_a_condition_throws() {
        Decision d = new PolicyEngine(testRules).decide(message(Stage.ORIGINATING_AUTHORIZATION, null, BOB), List.of());
        assertAll(
                () -> assertEquals(Verdict.DENY, d.verdict(), d::toString),
                () -> assertEquals(500, d.status(), d::toString),
                () -> assertEquals("Policy rule failed", d.reason()),
                () -> assertEquals("T-002", d.decidingRuleId(), d::toString),
                () -> assertNull(d.destination()));
        // the same rules permit once the condition can be evaluated
        Decision ok = new PolicyEngine(testRules).decide(message(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB), List.of());
        assertEquals(Verdict.PERMIT, ok.verdict(), ok::toString);
        assertEquals("T-001", ok.decidingRuleId());
    }

    @Test
    void should_deny_500_naming_the_rule_when_a_consequence_throws() {
        Decision d = new PolicyEngine(testRules).decide(message(Stage.TERMINATING_AUTHORIZATION, ALICE, BOB), List.of());
        assertAll(
                () -> assertEquals(Verdict.DENY, d.verdict(), d::toString),
                () -> assertFalse(d.isPermitted()),
                () -> assertEquals(500, d.status(), d::toString),
                () -> assertEquals("Policy rule failed", d.reason()),
                () -> assertEquals("T-012", d.decidingRuleId(), d::toString),
                () -> assertTrue(d.firedRuleIds().contains("T-012"), d::toString));
    }

    @Test
    void should_decide_afresh_when_a_session_is_reused_after_a_rule_failed() {
        // sessions come from a pool and are reset between decisions: nothing of a failed one may leak into the next
        PolicyEngine engine = new PolicyEngine(testRules, List.of());
        for (int i = 0; i < 3; i++) {
            Decision failed = engine.decide(message(Stage.TERMINATING_AUTHORIZATION, ALICE, BOB), List.of());
            assertEquals("T-012", failed.decidingRuleId(), failed::toString);
            Decision next = engine.decide(message(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB), List.of());
            assertEquals(Verdict.PERMIT, next.verdict(), next::toString);
            assertEquals(List.of("T-001"), next.firedRuleIds(), next::toString);
            Decision denied = engine.decide(routing(5000, "message/cpim"), List.of());
            assertEquals(413, denied.status(), denied::toString);
            Decision routed = engine.decide(routing(10, "message/cpim"), List.of());
            assertEquals(Verdict.PERMIT, routed.verdict(), "a denial of the previous decision leaked: " + routed);
        }
    }

    @Test
    void should_deny_403_with_no_rule_when_nothing_matches() {
        Decision d = new PolicyEngine(testRules).decide(message(Stage.RECIPIENT_DELIVERY, ALICE, BOB), List.of());
        assertAll(
                () -> assertEquals(Verdict.DENY, d.verdict()),
                () -> assertEquals(403, d.status()),
                () -> assertEquals("No policy rule permitted the request", d.reason()),
                () -> assertEquals(PolicyEngine.NO_RULE, d.decidingRuleId()),
                () -> assertEquals(List.of(), d.firedRuleIds()),
                () -> assertEquals(testRules.hash(), d.ruleSetHash()));
    }

    @Test
    void should_deny_with_lowest_denial_id_when_denials_and_permits_both_fire() {
        Decision d = new PolicyEngine(testRules).decide(routing(1400, "text/plain"), List.of());
        assertAll(
                () -> assertEquals(Verdict.DENY, d.verdict(), d::toString),
                () -> assertEquals(413, d.status(), d::toString),
                () -> assertEquals("T-023", d.decidingRuleId(), d::toString),
                () -> assertNull(d.destination()),
                () -> assertTrue(d.firedRuleIds().containsAll(List.of("T-021", "T-022", "T-023", "T-029")),
                        d::toString));
    }

    @Test
    void should_permit_with_route_destination_when_a_route_and_a_permit_fire() {
        Decision d = new PolicyEngine(testRules).decide(routing(10, "text/plain"), List.of());
        assertEquals(Verdict.PERMIT, d.verdict(), d::toString);
        assertEquals(Destination.PARTICIPATING_TERMINATING, d.destination());
        assertEquals("T-022", d.decidingRuleId());
    }

    @Test
    void should_deny_500_naming_both_rules_when_routes_conflict() {
        Decision d = new PolicyEngine(testRules).decide(routing(10, "conflict"), List.of());
        assertEquals(Verdict.DENY, d.verdict(), d::toString);
        assertEquals(500, d.status());
        assertTrue(d.reason().startsWith("Conflicting routes"), d::toString);
        assertTrue(d.reason().contains("T-022") && d.reason().contains("T-024"), d::toString);
    }

    @Test
    void should_refuse_decision_facts_when_the_caller_supplies_them() {
        PolicyEngine engine = new PolicyEngine(testRules);
        MessageContext ctx = message(Stage.RECIPIENT_DELIVERY, ALICE, BOB);
        assertThrows(IllegalArgumentException.class, () -> engine.decide(ctx, List.of(new Permit())));
    }

    @Test
    void should_use_new_hash_when_rule_set_is_replaced() {
        PolicyEngine engine = new PolicyEngine(shipped);
        MessageContext ctx = message(Stage.RECIPIENT_DELIVERY, ALICE, BOB);
        Decision before = engine.decide(ctx, List.of());
        assertSame(shipped, engine.current());
        assertEquals(shipped.hash(), before.ruleSetHash());
        assertEquals("DELIVER-020", before.decidingRuleId());

        engine.replace(testRules);
        Decision after = engine.decide(ctx, List.of());
        assertSame(testRules, engine.current());
        assertNotEquals(shipped.hash(), testRules.hash());
        assertEquals(testRules.hash(), after.ruleSetHash());
        assertEquals(PolicyEngine.NO_RULE, after.decidingRuleId());
    }

    @Test
    void should_log_one_info_line_without_body_when_deciding() {
        ListAppender<ILoggingEvent> captured = captureEngineLog();
        PolicyEngine engine = new PolicyEngine(shipped);
        MessageContext ctx = MessageContext.builder().callId("abc-123").stage(Stage.ORIGINATING_AUTHORIZATION)
                .sender(ALICE).target(BOB).contentType("text/plain").bodyLength(11).build();
        engine.decide(ctx, List.of(new KnownSubscriber(ALICE, Party.SENDER, true, false)));

        List<ILoggingEvent> info = captured.list.stream().filter(e -> e.getLevel() == Level.INFO).toList();
        assertEquals(1, info.size(), () -> info.toString());
        assertEquals("decision callId=abc-123 stage=ORIGINATING_AUTHORIZATION verdict=PERMIT status=0"
                + " reason=\"Permitted\" rule=AUTH-090 fired=[AUTH-090] ruleset=" + shipped.hash(),
                info.get(0).getFormattedMessage());
    }

    @Test
    void should_tell_every_listener_in_order_and_log_nothing_when_listeners_are_given() {
        ListAppender<ILoggingEvent> captured = captureEngineLog();
        List<String> calls = new ArrayList<>();
        PolicyEngine engine = new PolicyEngine(testRules, List.of(
                (c, d) -> calls.add("first " + c.getCallId() + " " + d.decidingRuleId()),
                (c, d) -> calls.add("second " + d.verdict())));
        Decision d = engine.decide(routing(10, "text/plain"), List.of());
        assertEquals(List.of("first c1 T-022", "second PERMIT"), calls);
        assertEquals("T-022", d.decidingRuleId());
        assertEquals(List.of(), captured.list, "no DecisionLog unless listed");
    }

    @Test
    void should_decide_silently_when_the_listener_list_is_empty() {
        ListAppender<ILoggingEvent> captured = captureEngineLog();
        Decision d = new PolicyEngine(testRules, List.of()).decide(routing(10, "text/plain"), List.of());
        assertEquals(Verdict.PERMIT, d.verdict());
        assertEquals(List.of(), captured.list);
    }

    @Test
    void should_log_warn_and_keep_the_decision_when_a_listener_throws() {
        ListAppender<ILoggingEvent> captured = captureEngineLog();
        List<Decision> seenAfter = new ArrayList<>();
        PolicyEngine engine = new PolicyEngine(testRules, List.of(
                (c, d) -> {
                    throw new IllegalStateException("audit disk full");
                },
                (c, d) -> seenAfter.add(d)));
        Decision d = engine.decide(routing(1400, "text/plain"), List.of());
        assertAll(
                () -> assertEquals(Verdict.DENY, d.verdict(), d::toString),
                () -> assertEquals(413, d.status()),
                () -> assertEquals("T-023", d.decidingRuleId()),
                () -> assertEquals(List.of(d), seenAfter, "the next listener still runs"));
        List<ILoggingEvent> warn = captured.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertEquals(1, warn.size(), captured.list::toString);
        assertTrue(warn.get(0).getFormattedMessage().contains("callId=c1"), warn.get(0)::getFormattedMessage);
        assertEquals("audit disk full", warn.get(0).getThrowableProxy().getMessage());
    }
}
