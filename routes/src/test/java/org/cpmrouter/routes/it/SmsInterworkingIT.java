package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.cpmrouter.client.OutgoingMessage;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.sip.UdpProbe;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;
import org.cpmrouter.smpp.testpeer.SmscTestPeer;
import org.cpmrouter.smpp.testpeer.SubmittedSms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clause 5.2.2.1 for a non-CPM user, over real SIP and real SMPP on 127.0.0.1: the router binds to an SMSC test
 * peer of the test's own (not the embedded one), alice's message to a number the store does not know goes out as
 * SMS and is answered 202 once the SMSC took it; an SMS from that number reaches bob carrying the Non-CPM
 * Communication Service Identifier, and bob's reply goes back by SMS; the SMSC refusing or being down gives the
 * sender a clear error, and the link comes back with the SMSC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmsInterworkingIT {

    static final String SMS_USER = "+15559990000";
    static final String ALICE_NUMBER = "+15551230001";
    static final String BOB_NUMBER = "+15551230002";
    static final NonCpmServiceIdentifier IDENTIFIER = NonCpmServiceIdentifier.standard();

    @TempDir
    static Path dataDir;

    private SmscTestPeer smsc;
    private int smscPort;
    private RouterFixture fixture;
    private RouterFixture.Inbox alice;
    private RouterFixture.Inbox bob;

    @BeforeAll
    void start() throws Exception {
        smsc = SmscTestPeer.start("127.0.0.1", 0, "cpmrouter", "secret");
        smscPort = smsc.port();
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of(
                "cpm.smsc.embedded-test-peer", "false",
                "cpm.smsc.port", Integer.toString(smscPort),
                "cpm.smsc.reconnect-delay-ms", "200",
                "cpm.smsc.response-timeout-ms", "2000"));
        alice = fixture.registered("alice");
        bob = fixture.registered("bob");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (smsc != null) {
            smsc.close();
        }
    }

    @Test
    @Order(1)
    void should_submit_to_the_smsc_and_answer_202_when_alice_sends_to_a_number_of_no_subscriber() throws Exception {
        SendResult result = alice.client().send("tel:" + SMS_USER, "Are you coming?").get(10, TimeUnit.SECONDS);

        assertEquals(202, result.status(), result.toString());
        SubmittedSms sms = smsc.awaitSubmitted(s -> s.destination().equals(SMS_USER), 5000);
        assertEquals(ALICE_NUMBER, sms.source());
        assertEquals("Are you coming?", sms.text());
        assertAudited(result.callId(), "IW-020"); // a new message goes by the default: SMS
    }

    @Test
    @Order(2)
    void should_send_a_long_text_as_one_concatenated_sms() throws Exception {
        String text = "0123456789".repeat(40);
        SendResult result = alice.client().send("tel:+15559990001", text).get(10, TimeUnit.SECONDS);

        assertEquals(202, result.status(), result.toString());
        List<SubmittedSms> parts = smsc.awaitSubmitted(s -> s.destination().equals("+15559990001"), 3, 5000);
        assertTrue(parts.stream().allMatch(SubmittedSms::concatenated), parts::toString);
        assertEquals(List.of(text), smsc.reassembledTexts("+15559990001"));
        assertEquals(3, smsc.submitted().stream().filter(s -> s.destination().equals("+15559990001")).count(),
                "one message in 3 parts, nothing more");
    }

    @Test
    @Order(3)
    void should_deliver_an_sms_to_bob_with_the_identifier_and_send_his_reply_back_by_sms() throws Exception {
        int status = smsc.injectMobileOriginated(SMS_USER, BOB_NUMBER, "Yes, at 8");
        assertEquals(0, status, "the router acknowledges the SMS once bob's client took it");

        ReceivedMessage received = bob.next();
        assertNotNull(received, "bob got nothing");
        assertEquals("tel:" + SMS_USER, received.sender());
        assertEquals("Yes, at 8", received.text());
        assertEquals("SMS", received.nonCpmService(IDENTIFIER).orElseThrow());
        CpimMessage cpim = CpimMessage.parse(received.body());
        assertEquals("tel:" + SMS_USER, cpim.fromUri().orElseThrow());
        assertTrue(cpim.imdnMessageId().isPresent(), "an IMDN Message-ID for status reports");
        assertTrue(received.header("P-Served-User").isEmpty(), "no network-internal marker reaches a client");

        OutgoingMessage reply = OutgoingMessage.replyTo(received, "See you", IDENTIFIER);
        assertEquals(Map.of("Non-CPM-Service", "SMS"), reply.extraHeaders());
        SendResult answered = bob.client().send(reply).get(10, TimeUnit.SECONDS);

        assertEquals(202, answered.status(), answered.toString());
        SubmittedSms back = smsc.awaitSubmitted(s -> s.text().equals("See you"), 5000);
        assertEquals(SMS_USER, back.destination());
        assertEquals(BOB_NUMBER, back.source());
        assertAudited(answered.callId(), "IW-010"); // the identifier chose the service
    }

    @Test
    @Order(4)
    void should_refuse_488_when_the_identifier_names_mms_which_has_no_interworking() throws Exception {
        SendResult result = alice.client().send(new OutgoingMessage("tel:" + SMS_USER, "picture", null, null,
                Map.of("Non-CPM-Service", "MMS"))).get(10, TimeUnit.SECONDS);

        assertEquals(488, result.status(), result.toString());
        assertEquals("No interworking for non-CPM service MMS", result.reason());
    }

    @Test
    @Order(4)
    void should_submit_a_plain_text_body_as_the_sms_text_when_a_plain_sip_client_sends_it() throws Exception {
        String response = sendPlain("text/plain;charset=UTF-8", "plain from baresip");

        assertEquals(202, UdpProbe.status(response), response);
        assertEquals(ALICE_NUMBER, smsc.awaitSubmitted(s -> s.text().equals("plain from baresip"), 5000).source());
    }

    @Test
    @Order(4)
    void should_refuse_488_naming_why_when_a_delivery_receipt_is_sent_to_an_sms_user() throws Exception {
        String response = sendPlain("message/imdn+xml", "<?xml version=\"1.0\"?><imdn "
                + "xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>m1</message-id><delivery-notification>"
                + "<status><delivered/></status></delivery-notification></imdn>");

        assertTrue(response.startsWith("SIP/2.0 488 A delivery receipt (message/imdn+xml) cannot be sent by SMS"),
                response);
    }

    /** alice's MESSAGE to the SMS user as a plain SIP client sends it, with this Content-Type; the final response. */
    private String sendPlain(String contentType, String body) throws Exception {
        try (DigestProbe peer = new DigestProbe(fixture.port)) {
            String request = peer.message("tel:" + SMS_USER, "", body)
                    .replace("Content-Type: message/cpim", "Content-Type: " + contentType);
            return peer.sendAuthenticated(request, "alice", RouterFixture.password("alice"), DigestAlgorithm.SHA_256);
        }
    }

    @Test
    @Order(5)
    void should_tell_the_sender_when_the_smsc_refuses_the_message() throws Exception {
        smsc.refuseSubmissionsWith(0x0000000B); // ESME_RINVDSTADR
        try {
            SendResult result = alice.client().send("tel:+15559990009", "to nowhere").get(10, TimeUnit.SECONDS);
            assertEquals(404, result.status(), result.toString());
            assertEquals("SMSC: invalid destination number", result.reason());
        } finally {
            smsc.refuseSubmissionsWith(0);
        }
    }

    @Test
    @Order(6)
    void should_acknowledge_an_sms_for_an_offline_user_only_once_it_is_held() throws Exception {
        // carol is a subscriber with a number but no registered client: the message is held for her (deferred
        // delivery) before the SMSC is answered, so the SMSC may forget it
        int status = smsc.injectMobileOriginated(SMS_USER, "+15551230003", "carol, are you there?");
        assertEquals(0, status, "ESME_ROK once held");
        assertEquals(1, fixture.router.stores().deferred().summary("sip:carol@cpm.example.com").count());
    }

    @Test
    @Order(7)
    void should_answer_503_while_the_smsc_is_down_and_deliver_again_once_it_is_back() throws Exception {
        smsc.close();
        SendResult down = alice.client().send("tel:" + SMS_USER, "anyone?").get(10, TimeUnit.SECONDS);
        assertEquals(503, down.status(), down.toString());
        assertEquals("SMSC unavailable", down.reason());
        // many senders while it is down: each gets its 503 at once, and no thread is left behind per message
        int threadsBefore = Thread.activeCount();
        for (int i = 0; i < 100; i++) {
            assertEquals(503, alice.client().send("tel:" + SMS_USER, "retry " + i).get(10, TimeUnit.SECONDS).status());
        }
        assertTrue(Thread.activeCount() < threadsBefore + 20,
                "threads grew from " + threadsBefore + " to " + Thread.activeCount() + " over 100 refused messages");

        smsc = SmscTestPeer.start("127.0.0.1", smscPort, "cpmrouter", "secret");
        smsc.awaitBind(b -> b.systemId().equals("cpmrouter") && b.accepted(), 10_000); // the router binds again
        // the SMSC has accepted the bind; the router's link counts as bound once it has read the answer: until then
        // a sender still gets 503 with Retry-After, and sends again
        SendResult back = Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> alice.client().send("tel:" + SMS_USER, "back again").get(10, TimeUnit.SECONDS),
                        sent -> sent.status() != 503);
        assertEquals(202, back.status(), back.toString());
        assertEquals(SMS_USER, smsc.awaitSubmitted(s -> s.text().equals("back again"), 5000).destination());
    }

    /** The audit log has, or gets within seconds, a decision of the Call-ID that names the rule. */
    private static void assertAudited(String callId, String ruleId) throws Exception {
        AuditLog.awaitLines(dataDir.resolve("audit/decisions.jsonl"),
                l -> l.contains(callId) && l.contains("\"" + ruleId + "\""));
    }
}
