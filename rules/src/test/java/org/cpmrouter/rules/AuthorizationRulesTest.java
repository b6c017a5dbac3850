package org.cpmrouter.rules;

import static org.cpmrouter.rules.DecisionAssertions.assertDenied;
import static org.cpmrouter.rules.DecisionAssertions.assertFiredExactly;
import static org.cpmrouter.rules.DecisionAssertions.assertNoneFired;
import static org.cpmrouter.rules.DecisionAssertions.assertPermitted;
import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.BOB;
import static org.cpmrouter.rules.TestRules.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** authorization.drl: one test per rule id. */
class AuthorizationRulesTest {

    private static final List<String> ORIGINATING = List.of("AUTH-010", "AUTH-020", "AUTH-030", "AUTH-090");
    private static final List<String> TERMINATING = List.of("AUTH-110", "AUTH-120", "AUTH-130", "AUTH-190");

    private static PolicyEngine engine;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        engine = new PolicyEngine(TestRules.shipped());
    }

    private static Decision originating(String sender, Object... facts) {
        return engine.decide(message(Stage.ORIGINATING_AUTHORIZATION, sender, BOB), List.of(facts));
    }

    private static Decision terminating(Object... facts) {
        return engine.decide(message(Stage.TERMINATING_AUTHORIZATION, ALICE, BOB), List.of(facts));
    }

    private static String[] except(List<String> ids, String... keep) {
        return ids.stream().filter(id -> !List.of(keep).contains(id)).toArray(String[]::new);
    }

    @Test
    void should_deny_403_when_sender_is_unknown_or_absent() {
        // known as a target only: the party matters
        Decision unknown = originating(ALICE, new KnownSubscriber(ALICE, Party.TARGET, true, false),
                new KnownSubscriber(BOB, Party.TARGET, true, false));
        assertDenied(unknown, 403, "AUTH-010", except(ORIGINATING, "AUTH-010"));
        assertFiredExactly(unknown, "AUTH-010");

        Decision absent = originating(null, new KnownSubscriber(ALICE, Party.SENDER, true, false));
        assertDenied(absent, 403, "AUTH-010", except(ORIGINATING, "AUTH-010"));
    }

    @Test
    void should_deny_403_when_sender_has_no_cpm_enabled() {
        Decision d = originating(ALICE, new KnownSubscriber(ALICE, Party.SENDER, false, false));
        assertDenied(d, 403, "AUTH-020", except(ORIGINATING, "AUTH-020"));
    }

    @Test
    void should_deny_403_when_sender_is_barred() {
        Decision d = originating(ALICE, new KnownSubscriber(ALICE, Party.SENDER, true, true));
        assertDenied(d, 403, "AUTH-030", except(ORIGINATING, "AUTH-030"));
    }

    @Test
    void should_permit_when_sender_is_known_enabled_and_unbarred() {
        Decision d = originating(ALICE, new KnownSubscriber(ALICE, Party.SENDER, true, false),
                new KnownSubscriber(BOB, Party.TARGET, false, true));
        assertPermitted(d, null, "AUTH-090", except(ORIGINATING, "AUTH-090"));
        assertFiredExactly(d, "AUTH-090");
    }

    @Test
    void should_deny_404_when_recipient_is_unknown() {
        Decision d = terminating(new KnownSubscriber(BOB, Party.SENDER, true, false),
                new KnownSubscriber(ALICE, Party.SENDER, true, false));
        assertDenied(d, 404, "AUTH-110", except(TERMINATING, "AUTH-110"));
        assertNoneFired(d, ORIGINATING.toArray(String[]::new));
    }

    @Test
    void should_deny_403_when_recipient_has_no_cpm_enabled() {
        Decision d = terminating(new KnownSubscriber(BOB, Party.TARGET, false, false));
        assertDenied(d, 403, "AUTH-120", except(TERMINATING, "AUTH-120"));
    }

    @Test
    void should_deny_403_when_recipient_is_barred() {
        Decision d = terminating(new KnownSubscriber(BOB, Party.TARGET, true, true));
        assertDenied(d, 403, "AUTH-130", except(TERMINATING, "AUTH-130"));
    }

    @Test
    void should_permit_when_recipient_is_known_enabled_and_unbarred() {
        Decision d = terminating(new KnownSubscriber(BOB, Party.TARGET, true, false),
                new KnownSubscriber(ALICE, Party.SENDER, false, true));
        assertPermitted(d, null, "AUTH-190", except(TERMINATING, "AUTH-190"));
        assertFiredExactly(d, "AUTH-190");
    }
}
