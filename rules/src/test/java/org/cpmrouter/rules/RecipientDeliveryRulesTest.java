package org.cpmrouter.rules;

import static org.cpmrouter.rules.DecisionAssertions.assertFiredExactly;
import static org.cpmrouter.rules.DecisionAssertions.assertPermitted;
import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.BOB;
import static org.cpmrouter.rules.TestRules.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.RegisteredClient;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** recipient-delivery.drl: one test per rule id. */
class RecipientDeliveryRulesTest {

    private static PolicyEngine engine;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        engine = new PolicyEngine(TestRules.shipped());
    }

    @Test
    void should_route_to_recipient_client_when_target_has_a_registered_client() {
        Decision d = engine.decide(message(Stage.RECIPIENT_DELIVERY, ALICE, BOB), List.of(
                new KnownSubscriber(BOB, Party.TARGET, true, false),
                new RegisteredClient(BOB, 2)));
        assertPermitted(d, Destination.RECIPIENT_CLIENT, "DELIVER-010", "DELIVER-020");
        assertFiredExactly(d, "DELIVER-010");
    }

    @Test
    void should_hold_the_message_when_target_has_no_registered_client() {
        // the sender's registration does not make the target reachable
        Decision d = engine.decide(message(Stage.RECIPIENT_DELIVERY, ALICE, BOB), List.of(
                new KnownSubscriber(BOB, Party.TARGET, true, false),
                new RegisteredClient(ALICE, 1)));
        assertPermitted(d, Destination.DEFERRED_STORE, "DELIVER-020", "DELIVER-010");
        assertFiredExactly(d, "DELIVER-020");
    }
}
