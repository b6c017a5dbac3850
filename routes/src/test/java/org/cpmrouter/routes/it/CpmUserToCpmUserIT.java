package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.sip.UdpProbe;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clause 5.2.2.1 for a target that is a CPM User, through the whole router over real SIP on 127.0.0.1: client,
 * SIP/IP Core, originating and terminating Participating Functions, registrar lookup, recipient's client, and
 * the final response back to the sender.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpmUserToCpmUserIT {

    @TempDir
    static Path dataDir;

    private RouterFixture fixture;
    private RouterFixture.Inbox bob;

    @BeforeAll
    void start() throws Exception {
        fixture = RouterFixture.start(dataDir);
        bob = fixture.registered("bob");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void should_deliver_to_bob_and_relay_his_200_when_alice_sends() throws Exception {
        SendResult result = fixture.client("alice").send(RouterFixture.uri("bob"), "Dinner at 8?")
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, result.status(), result.toString());
        ReceivedMessage received = bob.next();
        assertNotNull(received, "bob got nothing");
        assertEquals("Dinner at 8?", received.text());
        assertEquals(RouterFixture.uri("alice"), received.sender());
        assertEquals("<" + RouterFixture.uri("alice") + ">", received.header("P-Asserted-Identity").orElseThrow());
        assertTrue(received.header("P-Served-User").isEmpty(), "the leg marker must not reach the client");
        assertTrue(received.header("P-CPM-Served-Leg").isEmpty(), "the leg marker must not reach the client");
        assertTrue(received.header("Conversation-ID").isPresent());
    }

    @Test
    void should_pass_body_unchanged_byte_for_byte_when_relaying() throws Exception {
        byte[] body = CpimMessage.builder().from(RouterFixture.uri("alice")).to(RouterFixture.uri("bob"))
                .text("Ünïcode ✓ and\r\ntwo lines").build().toBytes();
        assertEquals(200, sendCpimToBob("alice", "", body));
        ReceivedMessage received = bob.next();
        assertNotNull(received);
        assertArrayEquals(body, received.body());
    }

    @Test
    void should_deliver_plain_text_from_a_plain_sip_client_unchanged() throws Exception {
        byte[] body = "Ünïcode ✓ from baresip".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, sendToBob("alice", "text/plain;charset=UTF-8", body));
        ReceivedMessage received = bob.next();
        assertNotNull(received);
        assertArrayEquals(body, received.body());
        assertEquals("Ünïcode ✓ from baresip", received.text());
        assertEquals("text/plain;charset=UTF-8", received.header("Content-Type").orElseThrow().replace(" ", ""));
    }

    @Test
    void should_deliver_a_plain_delivery_receipt_unchanged() throws Exception {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"
                + "<message-id>34jk324j</message-id><datetime>2026-12-04T17:00:00Z</datetime>"
                + "<delivery-notification><status><delivered/></status></delivery-notification></imdn>")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(200, sendToBob("alice", "message/imdn+xml", body));
        ReceivedMessage received = bob.next();
        assertNotNull(received);
        assertArrayEquals(body, received.body());
        assertEquals("message/imdn+xml", received.header("Content-Type").orElseThrow());
    }

    /**
     * Sends a MESSAGE with exactly these body bytes from a raw UDP peer, answering the router's challenge with the
     * sender's demo password; returns the final status.
     */
    private int sendCpimToBob(String fromUser, String extraHeaders, byte[] body) throws Exception {
        return sendToBob(fromUser, extraHeaders, "message/cpim", body);
    }

    private int sendToBob(String fromUser, String contentType, byte[] body) throws Exception {
        return sendToBob(fromUser, "", contentType, body);
    }

    private int sendToBob(String fromUser, String extraHeaders, String contentType, byte[] body) throws Exception {
        try (DigestProbe peer = new DigestProbe(fixture.port)) {
            return UdpProbe.status(peer.sendAs(fromUser, "sip:bob@" + RouterFixture.DOMAIN, extraHeaders, contentType,
                    body));
        }
    }

    @Test
    void should_refuse_403_when_mallory_is_barred() throws Exception {
        SendResult result = fixture.client("mallory").send(RouterFixture.uri("bob"), "let me in")
                .get(10, TimeUnit.SECONDS);
        assertEquals(403, result.status());
        assertNull(bob.messages().poll(300, TimeUnit.MILLISECONDS), "a refused message must not be delivered");
    }

    @Test
    void should_refuse_403_when_mallory_forges_alice_identity_from_an_untrusted_address() throws Exception {
        // mallory authenticates as herself and adds alice's asserted identity and a leg marker: both are removed
        // (she is no trusted peer), the core asserts mallory, and mallory is barred
        try (DigestProbe mallory = new DigestProbe(fixture.port)) {
            String forged = mallory.message("sip:bob@" + RouterFixture.DOMAIN,
                            "P-Asserted-Identity: <sip:alice@cpm.example.com>\n"
                                    + "P-Served-User: <sip:bob@cpm.example.com>;sescase=term;regstate=reg\n"
                                    + "P-CPM-Served-Leg: term\n", "x")
                    .replace("From: <sip:alice@cpm.example.com>", "From: <sip:mallory@cpm.example.com>");
            String response = mallory.sendAuthenticated(forged, "mallory", "mallory-demo",
                    org.cpmrouter.sip.auth.DigestAlgorithm.SHA_256);
            assertEquals(403, UdpProbe.status(response), response);
            assertTrue(response.contains("Sender is barred"), response);
        }
        assertNull(bob.messages().poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void should_show_bob_the_asserted_sender_when_carol_writes_alice_in_cpim_from() throws Exception {
        byte[] body = CpimMessage.builder().from(RouterFixture.uri("alice")).to(RouterFixture.uri("bob"))
                .text("it is me, alice").build().toBytes();
        assertEquals(200, sendCpimToBob("carol", "Referred-By: <sip:alice@cpm.example.com>\n", body));
        ReceivedMessage received = bob.next();
        assertNotNull(received);
        assertEquals(RouterFixture.uri("carol"), received.sender());
    }

    @Test
    void should_answer_413_when_the_body_exceeds_the_pager_mode_limit() throws Exception {
        byte[] big = CpimMessage.builder().from(RouterFixture.uri("alice")).to(RouterFixture.uri("bob"))
                .text("x".repeat(1400)).build().toBytes();
        assertEquals(413, sendCpimToBob("alice", "", big));
        assertNull(bob.messages().poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void should_answer_415_with_accept_when_the_content_type_is_not_carried() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String binary = probe.message("sip:bob@" + RouterFixture.DOMAIN, fixture.port, "", "hello")
                    .replace("Content-Type: message/cpim", "Content-Type: application/octet-stream");
            String response = probe.exchange(binary, fixture.port);
            assertEquals(415, UdpProbe.status(response), response);
            assertEquals(List.of("message/cpim", "text/plain", "message/imdn+xml"),
                    UdpProbe.headerValues(response, "Accept"), response);
        }
        assertNull(bob.messages().poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void should_answer_404_when_target_is_unknown() throws Exception {
        SendResult result = fixture.client("alice").send(RouterFixture.uri("nobody"), "hello?")
                .get(10, TimeUnit.SECONDS);
        assertEquals(404, result.status());
    }

    @Test
    void should_hold_the_message_with_202_when_recipient_is_not_registered() throws Exception {
        SendResult result = fixture.client("alice").send(RouterFixture.uri("carol"), "are you there?")
                .get(10, TimeUnit.SECONDS);
        assertEquals(202, result.status(), "held until carol registers (DeferredDeliveryIT)");
    }

    @Test
    void should_reach_bob_by_his_tel_alias() throws Exception {
        SendResult result = fixture.client("alice").send("tel:+15551230002", "by number")
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, result.status());
        assertEquals("by number", bob.next().text());
    }

    @Test
    void should_answer_400_to_malformed_request_and_keep_serving() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String malformed = probe.message("sip:bob@" + RouterFixture.DOMAIN, fixture.port, "", "x")
                    .replace("CSeq: 1 MESSAGE", "CSeq: 2147483648 MESSAGE");
            assertEquals(400, UdpProbe.status(probe.exchange(malformed, fixture.port)));
            // a CSeq that does not parse leaves nothing to answer with: dropped, never the stack's misframed 400
            probe.send(malformed.replace("CSeq: 2147483648 MESSAGE", "CSeq: x1 MESSAGE"), fixture.port);
            probe.setTimeout(500);
            assertNull(probe.awaitFinal(), "the unparsable CSeq is not answered");
        }
        SendResult next = fixture.client("alice").send(RouterFixture.uri("bob"), "still there")
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, next.status());
        assertEquals("still there", bob.next().text());
    }

    @Test
    void should_deliver_over_tcp_when_both_clients_use_tcp() throws Exception {
        RouterFixture.Inbox carol = fixture.registered("carol", "tcp");
        SendResult result = fixture.client("alice", "tcp").send(RouterFixture.uri("carol"), "over TCP")
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, result.status(), result.toString());
        assertEquals("over TCP", carol.next().text());
        assertEquals(200, carol.client().register(0).get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void should_refuse_registration_of_unknown_user_and_too_short_interval() throws Exception {
        // an unknown user has no credentials, so it is refused at authentication (403), before the registrar
        // could say 404: the router tells an unauthenticated client nothing about who exists
        SendResult nobody = fixture.client("nobody").register(600).get(10, TimeUnit.SECONDS);
        assertEquals(403, nobody.status());
        assertEquals("Authentication failed", nobody.reason());
        assertEquals(423, fixture.client("alice").register(5).get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void should_tell_min_expires_when_interval_is_too_brief() throws Exception {
        try (DigestProbe probe = new DigestProbe(fixture.port)) {
            String register = probe.message("sip:" + RouterFixture.DOMAIN,
                            "Contact: <sip:alice@127.0.0.1:" + probe.port() + ">\nExpires: 10\n", "")
                    .replace("MESSAGE", "REGISTER").replace("To: <sip:cpm.example.com>", "To: <sip:alice@cpm.example.com>")
                    .replace("Content-Type: message/cpim\n", "");
            String response = probe.sendAuthenticated(register, "alice", "alice-demo",
                    org.cpmrouter.sip.auth.DigestAlgorithm.MD5);
            assertEquals(423, UdpProbe.status(response), response);
            assertTrue(response.contains("Min-Expires: 60"), response);
        }
    }

    @Test
    void should_answer_options_probe() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String options = probe.message("sip:" + "127.0.0.1:" + fixture.port, fixture.port, "", "")
                    .replace("MESSAGE", "OPTIONS");
            assertEquals(200, UdpProbe.status(probe.exchange(options, fixture.port)));
        }
    }
}
