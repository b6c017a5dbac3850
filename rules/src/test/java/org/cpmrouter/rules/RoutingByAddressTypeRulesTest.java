package org.cpmrouter.rules;

import static org.cpmrouter.rules.DecisionAssertions.assertDenied;
import static org.cpmrouter.rules.DecisionAssertions.assertFiredExactly;
import static org.cpmrouter.rules.DecisionAssertions.assertPermitted;
import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.BOB;
import static org.cpmrouter.rules.TestRules.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.cpmrouter.rules.facts.AddressType;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.GroupSendPolicy;
import org.cpmrouter.rules.facts.KnownGroup;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.Stage;
import org.cpmrouter.rules.facts.UriListService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** routing-by-address-type.drl: one test per rule id, plus the target-kind routing matrix. */
class RoutingByAddressTypeRulesTest {

    private static PolicyEngine engine;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        engine = new PolicyEngine(TestRules.shipped());
    }

    @Test
    void should_route_to_terminating_participating_function_when_target_is_a_cpm_user() {
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, BOB),
                List.of(new KnownSubscriber(BOB, Party.TARGET, true, false)));
        assertPermitted(d, Destination.PARTICIPATING_TERMINATING, "ROUTE-010", "ROUTE-090");
        assertFiredExactly(d, "CLASS-010", "ROUTE-010");
    }

    @Test
    void should_route_to_controlling_function_when_target_is_a_predefined_group() {
        String family = "sip:family@cpm.example.net";
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, family),
                List.of(new KnownGroup(family, "Family", GroupSendPolicy.MEMBERS_ONLY, true)));
        assertPermitted(d, Destination.CONTROLLING_FUNCTION, "ROUTE-020", "ROUTE-010", "ROUTE-090");
    }

    @Test
    void should_route_to_the_uri_list_service_when_target_is_its_address() {
        String exploder = "sip:exploder@cpm.example.net";
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, exploder),
                List.of(new UriListService(exploder)));
        assertPermitted(d, Destination.URI_LIST_SERVICE, "ROUTE-050", "ROUTE-090", "ROUTE-010");
        assertFiredExactly(d, "CLASS-050", "ROUTE-050");
    }

    @Test
    void should_deny_404_when_target_address_is_unknown() {
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, BOB), List.of());
        assertDenied(d, 404, "ROUTE-090", "ROUTE-010");
        assertEquals("Target is not a CPM address", d.reason());
        assertFiredExactly(d, "CLASS-090", "ROUTE-090");
    }

    /** Target kind -> expected routing outcome (status 0 = permitted). */
    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(useHeadersInDisplayName = false, textBlock = """
            # target kind,                 status, destination,               address type, deciding rule
            enabled subscriber,            0,      PARTICIPATING_TERMINATING, CPM_USER,     ROUTE-010
            cpm-disabled subscriber,       0,      PARTICIPATING_TERMINATING, CPM_USER,     ROUTE-010
            barred subscriber,             0,      PARTICIPATING_TERMINATING, CPM_USER,     ROUTE-010
            subscriber known as sender,    404,    ,                          UNKNOWN,      ROUTE-090
            other subscriber,              404,    ,                          UNKNOWN,      ROUTE-090
            nothing known,                 404,    ,                          UNKNOWN,      ROUTE-090
            """)
    void should_route_by_address_type_when_target_is_of_a_given_kind(String kind, int status,
            Destination destination, AddressType addressType, String decidingRuleId) {
        List<Object> facts = switch (kind) {
            case "enabled subscriber" -> List.of(new KnownSubscriber(BOB, Party.TARGET, true, false));
            case "cpm-disabled subscriber" -> List.of(new KnownSubscriber(BOB, Party.TARGET, false, false));
            case "barred subscriber" -> List.of(new KnownSubscriber(BOB, Party.TARGET, true, true));
            case "subscriber known as sender" -> List.of(new KnownSubscriber(BOB, Party.SENDER, true, false));
            case "other subscriber" -> List.of(new KnownSubscriber(ALICE, Party.TARGET, true, false));
            case "nothing known" -> List.of();
            default -> throw new IllegalArgumentException("unknown target kind: " + kind);
        };
        Decision d = engine.decide(message(Stage.ADDRESS_ROUTING, ALICE, BOB), facts);
        if (status == 0) {
            assertPermitted(d, destination, decidingRuleId);
        } else {
            assertDenied(d, status, decidingRuleId);
            assertEquals(destination, d.destination());
        }
        assertEquals(addressType, d.addressType(), d::toString);
    }
}
