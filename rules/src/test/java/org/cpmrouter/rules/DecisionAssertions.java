package org.cpmrouter.rules;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.cpmrouter.rules.facts.Destination;

/**
 * Assertions shared by the per-file rule tests. Every rule id an assertion has checked as fired (the deciding id
 * of {@link #assertDenied}/{@link #assertPermitted}, every id of {@link #assertFired}/{@link #assertFiredExactly})
 * is recorded in {@link #ASSERTED_FIRED}, once the assertion has passed; {@link RuleCoverageTest} reads it.
 */
final class DecisionAssertions {

    /** Rule ids some passing assertion of this test JVM checked as fired. */
    static final Set<String> ASSERTED_FIRED = ConcurrentHashMap.newKeySet();

    private DecisionAssertions() {
    }

    static void assertDenied(Decision d, int status, String decidingRuleId, String... mustNotFire) {
        assertAll(
                () -> assertEquals(Verdict.DENY, d.verdict(), d::toString),
                () -> assertFalse(d.isPermitted(), d::toString),
                () -> assertEquals(status, d.status(), d::toString),
                () -> assertEquals(decidingRuleId, d.decidingRuleId(), d::toString),
                () -> assertTrue(d.firedRuleIds().contains(decidingRuleId), d::toString),
                () -> assertNoneFired(d, mustNotFire));
        ASSERTED_FIRED.add(decidingRuleId);
    }

    static void assertPermitted(Decision d, Destination destination, String decidingRuleId, String... mustNotFire) {
        assertAll(
                () -> assertEquals(Verdict.PERMIT, d.verdict(), d::toString),
                () -> assertTrue(d.isPermitted(), d::toString),
                () -> assertEquals(0, d.status(), d::toString),
                () -> assertEquals(destination, d.destination(), d::toString),
                () -> assertEquals(decidingRuleId, d.decidingRuleId(), d::toString),
                () -> assertTrue(d.firedRuleIds().contains(decidingRuleId), d::toString),
                () -> assertNoneFired(d, mustNotFire));
        ASSERTED_FIRED.add(decidingRuleId);
    }

    /** Each of {@code ids} fired exactly once. */
    static void assertFired(Decision d, String... ids) {
        for (String id : ids) {
            assertEquals(1, d.firedRuleIds().stream().filter(id::equals).count(), () -> id + " must fire once: " + d);
        }
        ASSERTED_FIRED.addAll(List.of(ids));
    }

    /** Exactly {@code ids} fired, in this order. */
    static void assertFiredExactly(Decision d, String... ids) {
        assertEquals(List.of(ids), d.firedRuleIds(), d::toString);
        ASSERTED_FIRED.addAll(List.of(ids));
    }

    static void assertNoneFired(Decision d, String... ids) {
        for (String id : ids) {
            assertFalse(d.firedRuleIds().contains(id), () -> id + " must not fire: " + d);
        }
    }
}
