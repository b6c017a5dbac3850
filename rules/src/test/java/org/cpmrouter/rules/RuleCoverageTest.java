package org.cpmrouter.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every rule id of the shipped files must have been asserted to fire by some test of this module
 * ({@link DecisionAssertions#ASSERTED_FIRED}). Runs last in the test JVM (see junit-platform.properties); run
 * alone, it has nothing to check and is skipped.
 */
@Order(Integer.MAX_VALUE)
class RuleCoverageTest {

    @Test
    void every_shipped_rule_is_asserted_to_fire_by_some_test() throws RuleCompilationException {
        Set<String> asserted = Set.copyOf(DecisionAssertions.ASSERTED_FIRED);
        assumeFalse(asserted.isEmpty(), "no rule test ran before RuleCoverageTest in this JVM (run alone?): "
                + "nothing to check; run the whole module: mvn -pl rules test");

        List<String> shipped = TestRules.shipped().ruleIds();
        Set<String> untested = new TreeSet<>(shipped);
        untested.removeAll(asserted);
        assertTrue(untested.isEmpty(), () -> untested.size() + " shipped rule(s) never asserted to fire by any test: "
                + untested + " (add a test that asserts it decides, with assertDenied/assertPermitted, "
                + "or fires, with assertFired/assertFiredExactly; asserted so far: " + new TreeSet<>(asserted) + ")");
    }
}
