package org.cpmrouter.rules;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cpmrouter.rules.facts.Destination;

/** Assertions shared by the per-file rule tests. */
final class DecisionAssertions {

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
    }

    static void assertNoneFired(Decision d, String... ids) {
        for (String id : ids) {
            assertFalse(d.firedRuleIds().contains(id), () -> id + " must not fire: " + d);
        }
    }
}
