package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.sip.urilist.RecipientList;
import org.cpmrouter.sip.urilist.RecipientList.CopyControl;
import org.cpmrouter.sip.urilist.RecipientList.Entry;
import org.cpmrouter.sip.urilist.RecipientListMessage;
import org.cpmrouter.smpp.testpeer.SmscTestPeer;
import org.cpmrouter.smpp.testpeer.SubmittedSms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The URI-list service (RFC 5365) over real SIP and real SMPP on 127.0.0.1: alice sends one message to bob, carol
 * (bcc), an SMS user and the group family (of which bob and carol are members, and dave, reached only through the
 * group); each gets one copy, bob's does not show carol, the SMS reaches the SMSC test peer; mallory is refused, a
 * list over the cap is refused naming it, a duplicate (and a tel: alias) is one copy, a recipient nobody has comes
 * back as a failed IMDN; and an accepted list survives kill -9 of the router.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UriListIT {

    static final String SERVICE = "sip:exploder@cpm.example.com";
    static final String SMS_USER = "+15559990000";
    static final String FAMILY = "sip:family@cpm.example.com";
    static final String DAVE = "sip:dave@cpm.example.com";
    static final int CAP = 6;

    @TempDir
    static Path dataDir;
    @TempDir
    Path crashDataDir;

    private SmscTestPeer smsc;
    private RouterFixture fixture;
    private RouterFixture.Inbox alice;
    private RouterFixture.Inbox bob;
    private RouterFixture.Inbox carol;
    private RouterFixture.Inbox dave;

    @BeforeAll
    void start() throws Exception {
        smsc = SmscTestPeer.start("127.0.0.1", 0, "cpmrouter", "secret");
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of(
                "cpm.smsc.embedded-test-peer", "false",
                "cpm.smsc.port", Integer.toString(smsc.port()),
                "cpm.uri-list.max-recipients", Integer.toString(CAP)));
        fixture.router.stores().subscribers().save(RouterFixture.withDemoPassword(
                new Subscriber(DAVE, List.of(), true, false)));
        fixture.router.stores().groups().addMember(FAMILY, DAVE);
        alice = fixture.registered("alice");
        bob = fixture.registered("bob");
        carol = fixture.registered("carol");
        dave = fixture.registered("dave");
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

    private static RecipientList list(Entry... entries) {
        return RecipientList.of(List.of(entries));
    }

    private SendResult sendToList(RouterFixture.Inbox from, RecipientList recipients, String text) throws Exception {
        return from.client().sendToList(SERVICE, recipients, text).get(20, TimeUnit.SECONDS);
    }

    /** The next message of an inbox with this text, skipping others (reports, earlier tests' copies). */
    private static ReceivedMessage next(RouterFixture.Inbox inbox, String text) throws InterruptedException {
        for (ReceivedMessage m = inbox.next(); m != null; m = inbox.next()) {
            if (text.equals(m.text())) {
                return m;
            }
        }
        return null;
    }

    /** No further copy of this text within 2 s (the copies of one list all start at once). */
    private static void assertNoOtherCopy(RouterFixture.Inbox inbox, String text) throws InterruptedException {
        for (ReceivedMessage m = inbox.messages().poll(2, TimeUnit.SECONDS); m != null;
             m = inbox.messages().poll(2, TimeUnit.SECONDS)) {
            assertFalse(text.equals(m.text()), inbox.client().config().identity() + " got a second copy");
        }
    }

    @Test
    void should_send_one_copy_to_each_target_hiding_bcc_when_alice_sends_to_bob_carol_sms_and_family()
            throws Exception {
        String text = "Dinner at 8, all of you";
        SendResult result = sendToList(alice, list(Entry.to(RouterFixture.uri("bob")),
                new Entry(RouterFixture.uri("carol"), CopyControl.BCC, false), Entry.to("tel:" + SMS_USER),
                Entry.to(FAMILY)), text);
        assertEquals(202, result.status(), result.toString());

        ReceivedMessage toBob = next(bob, text);
        assertNotNull(toBob, "bob got no copy");
        assertEquals(RouterFixture.uri("alice"), toBob.sender(), "a list copy comes from the sender");
        assertEquals(List.of(RouterFixture.uri("bob"), "tel:" + SMS_USER, FAMILY), toBob.listRecipients().orElseThrow(),
                "bob is shown the to recipients, never the bcc one");
        assertFalse(new String(toBob.body(), StandardCharsets.UTF_8).contains("carol"),
                "carol's address is nowhere in bob's copy");
        assertTrue(toBob.header("P-CPM-List-Recipients").isEmpty(), "no network-internal header reaches a client");
        assertTrue(toBob.header("Require").isEmpty(), "a copy requires nothing of its recipient");

        ReceivedMessage toCarol = next(carol, text);
        assertNotNull(toCarol, "carol (bcc) got no copy");
        ReceivedMessage toDave = next(dave, text);
        assertNotNull(toDave, "dave, a member of family only, got no copy through the group");
        assertEquals(FAMILY, toDave.group(), "dave's copy came through the group's Controlling Function");
        SubmittedSms sms = smsc.awaitSubmitted(s -> s.destination().equals(SMS_USER) && s.text().equals(text), 10_000);
        assertEquals("+15551230001", sms.source(), "the SMS comes from alice's number");

        // bob and carol are members of family too: the group left them out, they have one copy each
        assertNoOtherCopy(bob, text);
        assertNoOtherCopy(carol, text);
        assertNoOtherCopy(alice, text); // the sender is a member of family: no copy for her either
        String messageId = cpim(toCarol).imdnMessageId().orElseThrow();
        assertEquals(messageId, cpim(toDave).imdnMessageId().orElseThrow(), "every copy is the same message");
        assertEquals(messageId, cpim(toBob).imdnMessageId().orElseThrow(), "every copy is the same message");
    }

    @Test
    void should_refuse_mallory_who_is_barred() throws Exception {
        try (CpmClient mallory = fixture.client("mallory")) {
            SendResult result = mallory.sendToList(SERVICE, list(Entry.to(RouterFixture.uri("bob"))), "let me in")
                    .get(20, TimeUnit.SECONDS);
            assertEquals(403, result.status(), result.toString());
        }
        assertNull(next(bob, "let me in"), "nothing of mallory's reached bob");
    }

    @Test
    void should_refuse_a_list_over_the_cap_naming_it_and_send_nothing() throws Exception {
        Entry[] entries = new Entry[CAP + 1];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = Entry.to("tel:+1555777000" + i);
        }
        entries[0] = Entry.to(RouterFixture.uri("bob"));
        SendResult result = sendToList(alice, list(entries), "too many");
        assertEquals(403, result.status(), result.toString());
        assertEquals("Recipient list has " + (CAP + 1) + " recipients; at most " + CAP + " are allowed",
                result.reason());
        assertNull(next(bob, "too many"), "a refused list sends no copy");
    }

    @Test
    void should_send_one_copy_when_a_recipient_is_listed_twice_and_by_its_number() throws Exception {
        String text = "once is enough";
        SendResult result = sendToList(alice, list(Entry.to(RouterFixture.uri("bob")),
                Entry.to(RouterFixture.uri("bob")), Entry.to("tel:+15551230002")), text);
        assertEquals(202, result.status(), result.toString());
        assertNotNull(next(bob, text));
        assertNoOtherCopy(bob, text);
    }

    @Test
    void should_report_a_failed_imdn_for_the_recipient_nobody_has() throws Exception {
        String text = "is anybody there";
        SendResult result = sendToList(alice, list(Entry.to(RouterFixture.uri("bob")),
                Entry.to("sip:nobody@cpm.example.com")), text);
        assertEquals(202, result.status(), result.toString());
        assertNotNull(next(bob, text));
        for (ReceivedMessage m = alice.next(); ; m = alice.next()) {
            assertNotNull(m, "alice got no failed IMDN about nobody");
            String report = new String(m.body(), StandardCharsets.UTF_8);
            if (report.contains("<failed/>") && report.contains("nobody@cpm.example.com")) {
                break;
            }
        }
    }

    @Test
    void should_refuse_a_list_that_names_the_list_service_itself() throws Exception {
        SendResult result = sendToList(alice, list(Entry.to(RouterFixture.uri("bob")), Entry.to(SERVICE)), "nested");
        assertEquals(403, result.status(), result.toString());
        assertEquals("Recipient list names another URI list; nested lists are not expanded", result.reason());
    }

    @Test
    void should_send_an_accepted_list_after_a_kill_9_once_to_each_recipient_with_the_same_message_id()
            throws Exception {
        int port = RouterFixture.freePort();
        try (RawUserAgent silentBob = new RawUserAgent(); RawUserAgent silentCarol = new RawUserAgent();
             CpmClient sender = CpmClient.start(ClientConfig.of(RouterFixture.uri("alice"), "127.0.0.1", port)
                     .withPassword(RouterFixture.password("alice")))) {
            RawUserAgent.Received[] first = new RawUserAgent.Received[2];
            RawUserAgent[] agents = {silentBob, silentCarol};
            try (RouterProcess router = RouterProcess.start(crashDataDir, port, Map.of())) {
                assertEquals(200, silentBob.register("bob", port, 600));
                assertEquals(200, silentCarol.register("carol", port, 600));
                SendResult accepted = sender.sendToList(SERVICE, list(Entry.to(RouterFixture.uri("bob")),
                        new Entry(RouterFixture.uri("carol"), CopyControl.BCC, false)), "accepted before the kill")
                        .get(20, TimeUnit.SECONDS);
                assertEquals(202, accepted.status(), accepted + "\n" + router.output());
                // both copies are out and unanswered: then the router dies
                for (int i = 0; i < 2; i++) {
                    first[i] = agents[i].awaitRequest(Duration.ofSeconds(20));
                    assertTrue(first[i] != null && first[i].text().startsWith("MESSAGE "), "copy " + i
                            + " did not arrive\n" + router.output());
                }
                assertEquals(137, router.kill9(), router.output());
            }
            try (RouterProcess router = RouterProcess.start(crashDataDir, port, Map.of())) {
                for (int i = 0; i < 2; i++) {
                    RawUserAgent.Received again = agents[i].awaitRequest(Duration.ofSeconds(20));
                    while (again != null && first[i].header("Call-ID").equals(again.header("Call-ID"))) {
                        again = agents[i].awaitRequest(Duration.ofSeconds(20)); // the dead router's retransmissions
                    }
                    assertNotNull(again, "recipient " + i + " got nothing after the restart\n" + router.output());
                    assertEquals(imdnMessageId(first[i].text()), imdnMessageId(again.text()),
                            "the same message, recognisable as such");
                    agents[i].answer(again, 200, "OK");
                }
                assertTrue(router.awaitLine("resumed after a restart", Duration.ofSeconds(5)), router.output());
                for (RawUserAgent agent : agents) { // answered: no third copy comes
                    RawUserAgent.Received more = agent.awaitRequest(Duration.ofSeconds(3));
                    assertTrue(more == null || !more.text().startsWith("MESSAGE ")
                            || more.text().contains("Call-ID: " + first[0].header("Call-ID"))
                            || more.text().contains("Call-ID: " + first[1].header("Call-ID")),
                            "a recipient got the message a third time: " + more);
                }
            }
        }
    }

    /** The CPIM message of a copy: the body, or beside the recipient-list-history in a multipart one. */
    private static CpimMessage cpim(ReceivedMessage m) {
        byte[] body = RecipientListMessage.parseCopy(m.header("Content-Type").orElse(null), m.body())
                .map(RecipientListMessage::payload).orElse(m.body());
        return CpimMessage.parse(body);
    }

    private static String imdnMessageId(String request) {
        return request.lines().filter(l -> l.startsWith("imdn.Message-ID:")).findFirst()
                .orElseThrow(() -> new AssertionError("no imdn.Message-ID in " + request)).substring(16).trim();
    }
}
