package org.cpmrouter.rules;

import static org.cpmrouter.rules.DecisionAssertions.assertDenied;
import static org.cpmrouter.rules.DecisionAssertions.assertPermitted;
import static org.cpmrouter.rules.TestRules.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.InterworkingService;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.SmsSentBySender;
import org.cpmrouter.rules.facts.Stage;
import org.cpmrouter.rules.facts.TargetUri;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** sms-quota.drl: one test per rule id, and that a sender under its quotas keeps the SMS choice. */
class SmsQuotaRulesTest {

    private static final String NUMBER = "tel:+15559990000";

    private static PolicyEngine engine;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        engine = new PolicyEngine(TestRules.shipped());
    }

    private static Decision smsTo(int lastHour, int lastDay) {
        MessageContext context = TestRules.message(Stage.INTERWORKING_SELECTION, ALICE, NUMBER);
        return engine.decide(context, List.of(new TargetUri(NUMBER, true, null), new InterworkingService("SMS"),
                new SmsSentBySender(ALICE, lastHour, lastDay)));
    }

    @Test
    void SMS_010_refuses_the_sms_past_the_hourly_quota() {
        Decision d = smsTo(50, 50);
        assertDenied(d, 403, "SMS-010", "SMS-020");
        assertEquals("SMS Quota Exceeded (50 per hour)", d.reason());
    }

    @Test
    void SMS_020_refuses_the_sms_past_the_daily_quota() {
        Decision d = smsTo(3, 200);
        assertDenied(d, 403, "SMS-020", "SMS-010");
        assertEquals("SMS Quota Exceeded (200 per day)", d.reason());
    }

    @Test
    void should_keep_the_sms_choice_for_a_sender_under_both_quotas() {
        assertPermitted(smsTo(49, 199), Destination.INTERWORKING, "IW-020", "SMS-010", "SMS-020");
    }

    @Test
    void should_not_count_against_a_quota_when_the_message_does_not_go_by_sms() {
        String legacy = "sip:dave@sms.example.org";
        MessageContext context = TestRules.message(Stage.INTERWORKING_SELECTION, ALICE, legacy);
        Decision d = engine.decide(context, List.of(new TargetUri(legacy, false, "sms.example.org"),
                new InterworkingService("SMS"), new SmsSentBySender(ALICE, 500, 500)));
        assertDenied(d, 488, "IW-090", "SMS-010", "SMS-020");
    }
}
