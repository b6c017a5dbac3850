package org.cpmrouter.rules;

import static org.cpmrouter.rules.DecisionAssertions.assertDenied;
import static org.cpmrouter.rules.DecisionAssertions.assertPermitted;
import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.RecipientListSize;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** uri-list.drl: one test per rule id. */
class UriListRulesTest {

    private static final String EXPLODER = "sip:exploder@cpm.example.net";
    private static final KnownSubscriber ALICE_ENABLED = new KnownSubscriber(ALICE, Party.SENDER, true, false);
    private static PolicyEngine engine;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        engine = new PolicyEngine(TestRules.shipped());
    }

    private static Decision decide(Object... facts) {
        return engine.decide(message(Stage.URI_LIST_AUTHORIZATION, ALICE, EXPLODER), new ArrayList<>(List.of(facts)));
    }

    @Test
    void ULIST_010_should_deny_403_when_sender_is_not_a_cpm_subscriber() {
        assertDenied(decide(new RecipientListSize(3, 100, 0)), 403, "ULIST-010", "ULIST-090");
        assertDenied(decide(new KnownSubscriber(ALICE, Party.SENDER, true, true), new RecipientListSize(3, 100, 0)),
                403, "ULIST-010", "ULIST-090");
        assertDenied(decide(new KnownSubscriber(ALICE, Party.SENDER, false, false), new RecipientListSize(3, 100, 0)),
                403, "ULIST-010", "ULIST-090");
    }

    @Test
    void ULIST_020_should_deny_400_when_the_list_names_no_recipient() {
        Decision d = decide(ALICE_ENABLED, new RecipientListSize(0, 100, 0));
        assertDenied(d, 400, "ULIST-020", "ULIST-090");
        assertEquals("Recipient list names no recipient", d.reason());
    }

    @Test
    void ULIST_030_should_deny_403_naming_the_cap_when_the_list_is_over_it() {
        Decision d = decide(ALICE_ENABLED, new RecipientListSize(101, 100, 0));
        assertDenied(d, 403, "ULIST-030", "ULIST-090");
        assertEquals("Recipient list has 101 recipients; at most 100 are allowed", d.reason());
        assertPermitted(decide(ALICE_ENABLED, new RecipientListSize(100, 100, 0)), null, "ULIST-090", "ULIST-030");
    }

    @Test
    void ULIST_040_should_deny_403_when_the_list_names_another_uri_list() {
        assertDenied(decide(ALICE_ENABLED, new RecipientListSize(2, 100, 1)), 403, "ULIST-040", "ULIST-090");
    }

    @Test
    void ULIST_090_should_permit_a_subscriber_sending_to_a_list_within_the_cap() {
        assertPermitted(decide(ALICE_ENABLED, new RecipientListSize(4, 100, 0)), null, "ULIST-090", "ULIST-010",
                "ULIST-020", "ULIST-030", "ULIST-040");
    }
}
