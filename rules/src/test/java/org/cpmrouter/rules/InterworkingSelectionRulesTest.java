package org.cpmrouter.rules;

import static org.cpmrouter.rules.DecisionAssertions.assertDenied;
import static org.cpmrouter.rules.DecisionAssertions.assertFiredExactly;
import static org.cpmrouter.rules.DecisionAssertions.assertPermitted;
import static org.cpmrouter.rules.TestRules.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.InterworkingService;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Stage;
import org.cpmrouter.rules.facts.TargetUri;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** interworking-selection.drl: one test per rule id, plus precedence of the identifier over the default. */
class InterworkingSelectionRulesTest {

    private static final String NUMBER = "tel:+15559990000";
    private static final String LEGACY = "sip:dave@sms.example.org";
    private static final InterworkingService SMS = new InterworkingService("SMS");

    private static PolicyEngine engine;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        engine = new PolicyEngine(TestRules.shipped());
    }

    private static MessageContext selection(String target, String identifier) {
        return TestRules.message(Stage.INTERWORKING_SELECTION, ALICE, target).toBuilder()
                .nonCpmServiceId(identifier).build();
    }

    @Test
    void should_choose_the_service_named_by_the_identifier_when_it_is_configured() {
        Decision d = engine.decide(selection(LEGACY, "SMS"), List.of(new TargetUri(LEGACY, false, "sms.example.org"),
                SMS));
        assertPermitted(d, Destination.INTERWORKING, "IW-010", "IW-090", "IW-030");
        assertEquals("SMS", d.nonCpmService(), d::toString);
        assertFiredExactly(d, "IW-010");
    }

    @Test
    void should_send_a_new_message_to_a_number_by_sms_when_it_carries_no_identifier() {
        Decision d = engine.decide(selection(NUMBER, null), List.of(new TargetUri(NUMBER, true, null), SMS));
        assertPermitted(d, Destination.INTERWORKING, "IW-020", "IW-090", "IW-010");
        assertEquals("SMS", d.nonCpmService(), d::toString);
    }

    @Test
    void should_let_the_identifier_win_over_the_default_when_both_apply() {
        // a reply to a number carrying SMS: both IW-010 and IW-020 choose SMS; one service, permitted
        Decision d = engine.decide(selection(NUMBER, "SMS"), List.of(new TargetUri(NUMBER, true, null), SMS,
                new InterworkingService("MMS")));
        assertPermitted(d, Destination.INTERWORKING, "IW-010", "IW-030");
        assertEquals("SMS", d.nonCpmService(), d::toString);
    }

    @Test
    void should_refuse_488_when_the_identifier_names_a_service_that_is_not_configured() {
        Decision d = engine.decide(selection(NUMBER, "MMS"), List.of(new TargetUri(NUMBER, true, null), SMS));
        assertDenied(d, 488, "IW-030", "IW-010");
        assertEquals("No interworking for non-CPM service MMS", d.reason());
        assertNull(d.nonCpmService(), d::toString);
    }

    @Test
    void should_refuse_488_when_an_address_without_identifier_has_no_default_service() {
        Decision d = engine.decide(selection(LEGACY, null), List.of(new TargetUri(LEGACY, false, "sms.example.org"),
                SMS));
        assertDenied(d, 488, "IW-090", "IW-020");
        assertEquals("No non-CPM service for this address", d.reason());
    }

    @Test
    void should_refuse_488_when_no_sms_interworking_is_configured() {
        Decision d = engine.decide(selection(NUMBER, null), List.of(new TargetUri(NUMBER, true, null)));
        assertDenied(d, 488, "IW-090", "IW-020");
    }

    @Test
    void should_choose_nothing_when_stage_is_not_interworking_selection() {
        MessageContext routing = TestRules.message(Stage.ADDRESS_ROUTING, ALICE, NUMBER).toBuilder()
                .nonCpmServiceId("SMS").build();
        Decision d = engine.decide(routing, List.of(new TargetUri(NUMBER, true, null), SMS));
        DecisionAssertions.assertNoneFired(d, "IW-010", "IW-020", "IW-030", "IW-090");
    }
}
