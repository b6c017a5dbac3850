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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cpmrouter.rules.facts.AddressType;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.GroupSendPolicy;
import org.cpmrouter.rules.facts.KnownGroup;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.NonCpmDomain;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.Stage;
import org.cpmrouter.rules.facts.TargetUri;
import org.cpmrouter.rules.facts.UriListService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void should_classify_target_as_uri_list_when_target_is_the_uri_list_service_address() {
        String exploder = "sip:exploder@cpm.example.net";
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, exploder), List.of(
                new UriListService(exploder), new KnownSubscriber(ALICE, Party.SENDER, true, false)));
        assertEquals(AddressType.URI_LIST, d.addressType(), d::toString);
        assertFired(d, "CLASS-050");
        // another target, with the service known: not a list
        Decision other = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, BOB), List.of(
                new UriListService(exploder), new KnownSubscriber(BOB, Party.TARGET, true, false)));
        assertEquals(AddressType.CPM_USER, other.addressType(), other::toString);
        assertNoneFired(other, "CLASS-050");
        // a subscriber provisioned at the service's address is a CPM user, not the list service
        Decision shadowed = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, exploder), List.of(
                new UriListService(exploder), new KnownSubscriber(exploder, Party.TARGET, true, false)));
        assertEquals(AddressType.CPM_USER, shadowed.addressType(), shadowed::toString);
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

    /**
     * CLASS-090 waits for the other classification rules without naming them. Drools fires rules of equal
     * standing in the order they were loaded; moved to the top of its file, CLASS-090 may fire first and is then
     * taken back (its UNKNOWN is a logical fact, and so is ROUTE-090's denial) when a later rule classifies the
     * target. Every combination of the facts classification reads decides the same either way.
     */
    @Test
    void should_decide_the_same_when_class_090_is_declared_before_the_other_classification_rules(@TempDir Path dir)
            throws Exception {
        TestRules.copyShipped(dir);
        Path file = dir.resolve("address-type-classification.drl");
        String text = Files.readString(file);
        int start = text.indexOf("// A target that no rule above classified is unknown.");
        int end = text.indexOf("end", text.indexOf("rule \"CLASS-090")) + "end".length();
        String class090 = text.substring(start, end);
        String moved = text.substring(0, start) + text.substring(end);
        int firstRule = moved.indexOf("// A target that is a Pre-defined Group");
        Files.writeString(file, moved.substring(0, firstRule) + class090 + "\n\n" + moved.substring(firstRule));
        PolicyEngine reordered = new PolicyEngine(RuleCompiler.compile(dir), List.of());

        String number = "tel:+15559990000";
        String legacy = "sip:dave@sms.example.org";
        for (String target : List.of(BOB, number, legacy)) {
            List<Object> candidates = List.of(new KnownSubscriber(target, Party.TARGET, true, false),
                    new KnownGroup(target, "Family", GroupSendPolicy.MEMBERS_ONLY, true),
                    new TargetUri(target, target.startsWith("tel:"), target.substring(target.indexOf('@') + 1)),
                    new NonCpmDomain("sms.example.org"));
            for (int subset = 0; subset < 1 << candidates.size(); subset++) {
                List<Object> facts = new ArrayList<>();
                for (int i = 0; i < candidates.size(); i++) {
                    if ((subset & 1 << i) != 0) {
                        facts.add(candidates.get(i));
                    }
                }
                MessageContext m = message(Stage.ADDRESS_ROUTING, ALICE, target);
                Decision expected = engine.decide(m, facts);
                Decision actual = reordered.decide(m, facts);
                assertEquals(List.of(expected.verdict(), expected.status(), expected.reason(),
                        String.valueOf(expected.addressType()), expected.decidingRuleId()),
                        List.of(actual.verdict(), actual.status(), actual.reason(),
                        String.valueOf(actual.addressType()), actual.decidingRuleId()), () -> target + " " + facts);
                // the only difference allowed: an UNKNOWN that was taken back (CLASS-090, perhaps ROUTE-090, fired)
                List<String> firedAndKept = new ArrayList<>(actual.firedRuleIds());
                if (actual.addressType() != AddressType.UNKNOWN) {
                    firedAndKept.removeAll(List.of("CLASS-090", "ROUTE-090"));
                }
                assertEquals(expected.firedRuleIds(), firedAndKept, () -> "fired " + target + " " + facts);
            }
        }
    }

    @Test
    void should_route_a_new_kind_of_address_when_its_rule_is_added_without_touching_class_090(@TempDir Path dir)
            throws Exception {
        TestRules.copyShipped(dir);
        // named to sort after every shipped file: its rule is loaded, and so fires, after CLASS-090 and ROUTE-090
        DrlFixtures.copy("added-classification.drl", dir, "zz-added-classification.drl");
        PolicyEngine extended = new PolicyEngine(RuleCompiler.compile(dir), List.of());
        String carol = "sip:carol@legacy.example.org";

        Decision d = extended.decide(message(Stage.ADDRESS_ROUTING, ALICE, carol),
                List.of(new TargetUri(carol, false, "legacy.example.org")));
        assertEquals(List.of(Verdict.PERMIT, Destination.INTERWORKING, AddressType.NON_CPM_USER, "ROUTE-030"),
                List.of(d.verdict(), d.destination(), d.addressType(), d.decidingRuleId()), d::toString);
        assertTrue(d.firedRuleIds().containsAll(List.of("LOCAL-010", "ROUTE-030")), d::toString);

        Decision unknown = extended.decide(message(Stage.ADDRESS_ROUTING, ALICE, BOB), List.of());
        assertEquals(List.of("CLASS-090", "ROUTE-090"), unknown.firedRuleIds(), unknown::toString);
    }
}
