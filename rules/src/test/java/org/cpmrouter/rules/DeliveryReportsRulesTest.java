package org.cpmrouter.rules;

import static org.cpmrouter.rules.DecisionAssertions.assertDenied;
import static org.cpmrouter.rules.DecisionAssertions.assertFiredExactly;
import static org.cpmrouter.rules.DecisionAssertions.assertPermitted;
import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.BOB;
import static org.cpmrouter.rules.TestRules.message;

import java.util.ArrayList;
import java.util.List;

import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.ReportEvent;
import org.cpmrouter.rules.facts.RequestedNotification;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** delivery-reports.drl: one test per rule id, and the pairs of RFC 5438 as a table. */
class DeliveryReportsRulesTest {

    private static PolicyEngine engine;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        engine = new PolicyEngine(TestRules.shipped());
    }

    /** A report about alice's message to bob, alice a subscriber who asked for {@code requested}. */
    private static Decision report(String status, String notification, String... requested) {
        List<Object> facts = new ArrayList<>();
        facts.add(new KnownSubscriber(ALICE, Party.SENDER, true, false));
        facts.add(new ReportEvent(status, notification));
        for (String value : requested) {
            facts.add(new RequestedNotification(value));
        }
        return engine.decide(message(Stage.DELIVERY_REPORT, ALICE, BOB), facts);
    }

    @Test
    void should_send_no_report_when_the_sender_is_not_a_subscriber() {
        Decision d = engine.decide(message(Stage.DELIVERY_REPORT, "tel:+15559990000", BOB), List.of(
                new ReportEvent("failed", "negative-delivery"), new RequestedNotification("negative-delivery")));

        assertDenied(d, 403, "REPORT-010", "REPORT-020");
        assertFiredExactly(d, "REPORT-010", "REPORT-090");
    }

    @Test
    void should_send_no_report_when_the_sender_did_not_ask_for_that_kind() {
        Decision d = report("failed", "negative-delivery", "positive-delivery", "display");

        assertDenied(d, 403, "REPORT-020", "REPORT-010", "REPORT-090");
    }

    @Test
    void should_send_the_report_when_the_sender_asked_for_that_kind() {
        Decision d = report("delivered", "positive-delivery", "positive-delivery", "negative-delivery");

        assertPermitted(d, null, "REPORT-090", "REPORT-010", "REPORT-020");
        assertFiredExactly(d, "REPORT-090");
    }

    @ParameterizedTest(name = "{0} reported when asked for {1}")
    @CsvSource({
            "delivered, positive-delivery",
            "failed,    negative-delivery",
            "stored,    processing"})
    void should_send_each_kind_only_to_a_sender_who_asked_for_it(String status, String notification) {
        assertPermitted(report(status, notification, notification), null, "REPORT-090");
        assertDenied(report(status, notification, "display"), 403, "REPORT-020");
        assertDenied(report(status, notification), 403, "REPORT-020");
    }
}
