package org.cpmrouter.rules;

import static org.cpmrouter.rules.DecisionAssertions.assertDenied;
import static org.cpmrouter.rules.DecisionAssertions.assertFired;
import static org.cpmrouter.rules.DecisionAssertions.assertFiredExactly;
import static org.cpmrouter.rules.DecisionAssertions.assertNoneFired;
import static org.cpmrouter.rules.DecisionAssertions.assertPermitted;
import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.BOB;
import static org.cpmrouter.rules.TestRules.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.cpmrouter.rules.facts.AddressType;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.GroupSendPolicy;
import org.cpmrouter.rules.facts.KnownGroup;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.NonCpmDomain;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.Stage;
import org.cpmrouter.rules.facts.TargetUri;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** address-type-classification.drl: one test per rule id. */
class AddressTypeClassificationRulesTest {

    private static PolicyEngine engine;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        engine = new PolicyEngine(TestRules.shipped());
    }

    @Test
    void should_classify_target_as_cpm_user_when_target_is_a_known_subscriber() {
        // even a disabled or barred subscriber is a CPM address; authorization decides about it later
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, BOB), List.of(
                new KnownSubscriber(BOB, Party.TARGET, false, true),
                new KnownSubscriber(ALICE, Party.SENDER, true, false)));
        assertEquals(AddressType.CPM_USER, d.addressType(), d::toString);
        assertPermitted(d, Destination.PARTICIPATING_TERMINATING, "ROUTE-010", "CLASS-090");
        assertFired(d, "CLASS-010");
    }

    @Test
    void should_classify_target_as_unknown_when_no_subscriber_matches_the_target() {
        // a subscriber with the target's identity but known as SENDER, and a TARGET subscriber with another identity
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, BOB, BOB), List.of(
                new KnownSubscriber(BOB, Party.SENDER, true, false),
                new KnownSubscriber(ALICE, Party.TARGET, true, false)));
        assertEquals(AddressType.UNKNOWN, d.addressType(), d::toString);
        assertDenied(d, 404, "ROUTE-090", "CLASS-010", "ROUTE-010");
        assertFired(d, "CLASS-090");
    }

    @Test
    void should_classify_target_as_predefined_group_when_target_is_a_known_group() {
        String family = "sip:family@cpm.example.net";
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, family), List.of(
                new KnownGroup(family, "Family", GroupSendPolicy.MEMBERS_ONLY, true)));
        assertEquals(AddressType.PREDEFINED_GROUP, d.addressType(), d::toString);
        assertPermitted(d, Destination.CONTROLLING_FUNCTION, "ROUTE-020", "CLASS-090", "CLASS-010");
        assertFiredExactly(d, "CLASS-020", "ROUTE-020");
    }

    @Test
    void should_classify_target_as_non_cpm_user_when_target_is_a_number_of_no_subscriber() {
        String sms = "tel:+15559990000";
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, sms), List.of(
                new TargetUri(sms, true, null)));
        assertEquals(AddressType.NON_CPM_USER, d.addressType(), d::toString);
        assertPermitted(d, Destination.INTERWORKING, "ROUTE-030", "CLASS-090", "CLASS-010", "CLASS-040");
        assertFiredExactly(d, "CLASS-030", "ROUTE-030");
    }

    @Test
    void should_classify_a_number_as_cpm_user_when_it_is_a_subscriber() {
        // a subscriber reached by number (its tel: alias resolved to it) stays a CPM user
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, BOB), List.of(
                new TargetUri(BOB, true, null), new KnownSubscriber(BOB, Party.TARGET, true, false)));
        assertEquals(AddressType.CPM_USER, d.addressType(), d::toString);
        assertNoneFired(d, "CLASS-030", "CLASS-090");
    }

    @Test
    void should_classify_target_as_non_cpm_user_when_its_domain_is_listed_as_non_cpm() {
        String legacy = "sip:dave@sms.example.org";
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, legacy), List.of(
                new TargetUri(legacy, false, "sms.example.org"), new NonCpmDomain("sms.example.org"),
                new NonCpmDomain("other.example.org")));
        assertEquals(AddressType.NON_CPM_USER, d.addressType(), d::toString);
        assertPermitted(d, Destination.INTERWORKING, "ROUTE-030", "CLASS-090", "CLASS-030");
        assertFiredExactly(d, "CLASS-040", "ROUTE-030");
    }

    @Test
    void should_classify_as_unknown_when_the_domain_is_not_listed_as_non_cpm() {
        String stranger = "sip:dave@elsewhere.example.org";
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, stranger), List.of(
                new TargetUri(stranger, false, "elsewhere.example.org"), new NonCpmDomain("sms.example.org")));
        assertEquals(AddressType.UNKNOWN, d.addressType(), d::toString);
        assertDenied(d, 404, "ROUTE-090", "CLASS-040", "ROUTE-030");
    }

    @Test
    void should_not_classify_when_stage_is_not_address_routing() {
        Decision d = engine.decide(message(Stage.TERMINATING_AUTHORIZATION, ALICE, BOB), List.of(
                new KnownSubscriber(BOB, Party.TARGET, true, false)));
        assertNull(d.addressType(), d::toString);
        assertNoneFired(d, "CLASS-010", "CLASS-090");
    }
}
