package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.sip.UdpProbe;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.smpp.testpeer.SmscTestPeer;
import org.cpmrouter.smpp.testpeer.SubmittedSms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMDN (RFC 5438) through the whole router over real SIP and SMPP on 127.0.0.1: delivery reports between users
 * pass like any CPM Message, in both forms, unchanged; the network reports itself what only it knows, to a sender
 * who asked for it: a group member refusing its copy for good gives a {@code failed} IMDN, an SMS delivery receipt
 * from the SMSC (the test's own SMSC test peer) a {@code delivered} one; never a report about a report, and no more
 * than {@code cpm.reports.max-per-sender-per-second} to one sender.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryReportsIT {

    static final String NETWORK = "sip:cpm-network@cpm.example.com";
    static final String FAMILY = "sip:family@cpm.example.com";
    static final String SMS_USER = "+15559990000";
    /** Reports to one sender per second, for the rate-limit test (the shipped default is 10). */
    static final int CAP = 2;

    @TempDir
    static Path dataDir;

    private SmscTestPeer smsc;
    private RouterFixture fixture;
    private RouterFixture.Inbox alice;
    private RouterFixture.Inbox bob;
    /** carol's client: registered, and refuses every message it gets with 603 (a member who declines for good). */
    private RawUserAgent carol;

    @BeforeAll
    void start() throws Exception {
        smsc = SmscTestPeer.start("127.0.0.1", 0, "cpmrouter", "secret");
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of(
                "cpm.smsc.embedded-test-peer", "false",
                "cpm.smsc.port", Integer.toString(smsc.port()),
                "cpm.smsc.reconnect-delay-ms", "200",
                "cpm.reports.max-per-sender-per-second", Integer.toString(CAP)));
        alice = fixture.registered("alice");
        bob = fixture.registered("bob");
        carol = new RawUserAgent();
        assertEquals(200, carol.register("carol", fixture.port, 600));
    }

    @AfterAll
    void stop() {
        if (carol != null) {
            carol.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (smsc != null) {
            smsc.close();
        }
    }

    private Path audit() {
        return dataDir.resolve("audit").resolve("decisions.jsonl");
    }

    /** A CPIM text from a user with this Message-ID asking for {@code disposition} (null: nothing). */
    private static byte[] cpim(String from, String to, String messageId, String disposition, String text) {
        return CpimMessage.builder().from(RouterFixture.uri(from)).to(to).text(text).messageId(messageId)
                .dispositionNotification(disposition).build().toBytes();
    }

    private int send(String fromUser, String target, String contentType, byte[] body) throws Exception {
        try (DigestProbe peer = new DigestProbe(fixture.port)) {
            return UdpProbe.status(peer.sendAs(fromUser, target, "", contentType, body));
        }
    }

    /** The IMDN document a report carries, after checking that it is one from the network. */
    private static String networkReport(ReceivedMessage report) {
        assertNotNull(report, "no report came");
        assertEquals(NETWORK, report.sender(), "reports come from the domain's own address");
        CpimMessage cpim = CpimMessage.parse(report.body());
        assertEquals("message/imdn+xml", cpim.contentType());
        assertEquals("notification", cpim.contentHeader("Content-Disposition").orElseThrow());
        assertTrue(cpim.imdnMessageId().isPresent(), "a report has a Message-ID of its own");
        assertTrue(cpim.header(CpimMessage.IMDN_NS, "Disposition-Notification").isEmpty(),
                "a report asks for no report");
        return new String(cpim.content(), StandardCharsets.UTF_8);
    }

    /** carol's client refuses the copy it gets, for good. */
    private void carolDeclinesHerCopy() throws Exception {
        RawUserAgent.Received copy = carol.awaitRequest(Duration.ofSeconds(10));
        assertNotNull(copy, "carol got no copy");
        carol.answer(copy, 603, "Decline");
    }

    @Test
    void should_deliver_an_imdn_in_cpim_from_bob_to_alice_unchanged_with_200() throws Exception {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"
                + "<message-id>alice-msg-1</message-id><datetime>2030-01-01T10:00:00Z</datetime>"
                + "<delivery-notification><status><delivered/></status></delivery-notification></imdn>")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = ("From: <sip:anonymous@anonymous.invalid>\r\nTo: <sip:anonymous@anonymous.invalid>\r\n"
                + "NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: bob-imdn-1\r\nDateTime: 2030-01-01T10:00:02Z\r\n"
                + "\r\nContent-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n"
                + "Content-Length: " + xml.length + "\r\n\r\n" + new String(xml, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);

        assertEquals(200, send("bob", RouterFixture.uri("alice"), "message/cpim", body));

        ReceivedMessage received = alice.next();
        assertNotNull(received, "alice got no IMDN");
        assertArrayEquals(body, received.body(), "the IMDN and its imdn.Message-ID pass byte for byte");
        assertEquals("bob-imdn-1", CpimMessage.parse(received.body()).imdnMessageId().orElseThrow());
        assertEquals(RouterFixture.uri("bob"), received.sender());
        assertNull(bob.messages().poll(500, TimeUnit.MILLISECONDS), "nobody reports on a report");
    }

    @Test
    void should_deliver_a_bare_imdn_from_bob_to_alice_unchanged_with_200() throws Exception {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"
                + "<message-id>alice-msg-2</message-id><datetime>2030-01-01T10:00:00Z</datetime>"
                + "<display-notification><status><displayed/></status></display-notification></imdn>")
                .getBytes(StandardCharsets.UTF_8);

        assertEquals(200, send("bob", RouterFixture.uri("alice"), "message/imdn+xml", body));

        ReceivedMessage received = alice.next();
        assertNotNull(received, "alice got no IMDN");
        assertArrayEquals(body, received.body());
        assertEquals("message/imdn+xml", received.header("Content-Type").orElseThrow());
    }

    @Test
    void should_send_alice_a_failed_imdn_when_carol_declines_her_copy_of_a_group_message() throws Exception {
        assertEquals(202, send("alice", FAMILY, "message/cpim",
                cpim("alice", FAMILY, "family-msg-1", "positive-delivery, negative-delivery", "Dinner at 8")));
        assertEquals("Dinner at 8", bob.next().text());
        carolDeclinesHerCopy();

        String imdn = networkReport(alice.next());

        assertTrue(imdn.contains("<message-id>family-msg-1</message-id>"), imdn);
        assertTrue(imdn.contains("<recipient-uri>sip:carol@cpm.example.com</recipient-uri>"), imdn);
        assertTrue(imdn.contains("<delivery-notification><status><failed/></status></delivery-notification>"), imdn);
        List<String> lines = AuditLog.awaitLines(audit(), l -> l.contains("\"event\":\"report\"")
                && l.contains("\"messageId\":\"family-msg-1\""));
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).contains("\"outcome\":\"sent\"") && lines.get(0).contains("\"rule\":\"REPORT-090\""),
                lines::toString);
        assertFalse(lines.get(0).contains("Dinner"), "never the body");
        assertNull(alice.messages().poll(500, TimeUnit.MILLISECONDS), "one report, not more");
    }

    @Test
    void should_send_no_report_when_a_member_declines_a_report_sent_to_the_group() throws Exception {
        // an IMDN sent to a group, wrongly asking for negative-delivery itself: carol declining it reports nothing
        byte[] report = ("From: <sip:alice@cpm.example.com>\r\nTo: <" + FAMILY + ">\r\n"
                + "NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: family-imdn-1\r\n"
                + "imdn.Disposition-Notification: negative-delivery\r\nDateTime: 2030-01-01T10:00:02Z\r\n\r\n"
                + "Content-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n\r\n"
                + "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>x</message-id><delivery-notification>"
                + "<status><delivered/></status></delivery-notification></imdn>").getBytes(StandardCharsets.UTF_8);

        assertEquals(202, send("alice", FAMILY, "message/cpim", report));
        assertNotNull(bob.next(), "bob got the group's copy");
        carolDeclinesHerCopy();

        assertNull(alice.messages().poll(1500, TimeUnit.MILLISECONDS), "no report about a report");
    }

    @Test
    void should_send_alice_a_delivered_imdn_when_the_smsc_receipt_says_her_sms_was_delivered() throws Exception {
        assertEquals(202, send("alice", "tel:" + SMS_USER, "message/cpim",
                cpim("alice", "tel:" + SMS_USER, "sms-msg-1", "positive-delivery", "On my way")));
        SubmittedSms sms = smsc.awaitSubmitted(s -> s.text().equals("On my way"), 5000);
        assertTrue(sms.receiptRequested(), "the SMSC is asked for a receipt: " + sms);

        assertEquals(0, smsc.sendDeliveryReceipt(sms, true));

        String imdn = networkReport(alice.next());
        assertTrue(imdn.contains("<message-id>sms-msg-1</message-id>"), imdn);
        assertTrue(imdn.contains("<recipient-uri>tel:" + SMS_USER + "</recipient-uri>"), imdn);
        assertTrue(imdn.contains("<delivery-notification><status><delivered/></status></delivery-notification>"),
                imdn);
        assertEquals(0, smsc.sendDeliveryReceipt(sms, true), "a repeated receipt is acknowledged");
        assertNull(alice.messages().poll(500, TimeUnit.MILLISECONDS), "and reported once");
    }

    @Test
    void should_ask_for_no_receipt_and_send_no_imdn_when_the_sender_asked_for_no_delivery_report() throws Exception {
        assertEquals(202, send("alice", "tel:" + SMS_USER, "message/cpim",
                cpim("alice", "tel:" + SMS_USER, "sms-msg-2", null, "No report please")));
        assertEquals(202, send("alice", "tel:" + SMS_USER, "message/cpim",
                cpim("alice", "tel:" + SMS_USER, "sms-msg-3", "display", "Only when read")));
        SubmittedSms none = smsc.awaitSubmitted(s -> s.text().equals("No report please"), 5000);
        SubmittedSms display = smsc.awaitSubmitted(s -> s.text().equals("Only when read"), 5000);
        assertFalse(none.receiptRequested(), none::toString);
        assertFalse(display.receiptRequested(), display::toString);

        // an SMSC that sends one anyway gets its receipts acknowledged, and nobody is told
        assertEquals(0, smsc.sendDeliveryReceipt(none, true));
        assertEquals(0, smsc.sendDeliveryReceipt(display, true));

        assertNull(alice.messages().poll(1500, TimeUnit.MILLISECONDS), "no IMDN nobody asked for");
    }

    @Test
    void should_send_one_sender_no_more_reports_per_second_than_the_cap() throws Exception {
        int messages = 6;
        List<SubmittedSms> parts = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            String text = "bob burst " + i;
            assertEquals(202, send("bob", "tel:+1555999100" + i, "message/cpim",
                    cpim("bob", "tel:+1555999100" + i, "burst-" + i, "positive-delivery", text)));
            parts.add(smsc.awaitSubmitted(s -> s.text().equals(text), 5000));
        }

        for (SubmittedSms part : parts) { // back to back: well within two seconds of the clock
            assertEquals(0, smsc.sendDeliveryReceipt(part, true));
        }

        List<String> lines = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> AuditLog.awaitLines(audit(), l -> l.contains("\"event\":\"report\"")
                        && l.contains("\"messageId\":\"burst-")), all -> all.size() == messages);
        long limited = lines.stream().filter(l -> l.contains("rate limit: " + CAP + " reports per second")).count();
        long sent = lines.stream().filter(l -> l.contains("\"outcome\":\"sent\"")).count();
        assertEquals(messages, limited + sent, lines::toString);
        // CAP a second: six receipts back to back span a second or two of the clock, so some are held back (the
        // exact count per second is ReportRateLimitTest's)
        assertTrue(limited >= 1 && sent >= 1, lines::toString);
        for (int i = 0; i < sent; i++) {
            networkReport(bob.next());
        }
        assertNull(bob.messages().poll(500, TimeUnit.MILLISECONDS), "the limited ones are not sent");
    }
}
