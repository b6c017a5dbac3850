package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.routes.auth.ExpiredNonces;
import org.cpmrouter.sip.UdpProbe;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.cpmrouter.sip.auth.DigestAuthorization;
import org.cpmrouter.sip.auth.DigestChallenge;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP digest authentication at the core, over real SIP on 127.0.0.1 against the shipped configuration (which has
 * it on) and the demo subscribers' passwords: the challenge, both algorithms, wrong passwords, replays, expired
 * nonces, and that the authenticated subscriber, not what a request claims, is who sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationIT {

    /** Known to the test so it can make a nonce the router signed but that has expired. */
    static final String NONCE_SECRET = "authentication-it-nonce-secret";
    static final String BOB = "sip:bob@cpm.example.com";

    @TempDir
    static Path dataDir;

    private RouterFixture fixture;
    private RouterFixture.Inbox bob;

    @BeforeAll
    void start() throws Exception {
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of("cpm.auth.nonce-secret", NONCE_SECRET));
        bob = fixture.registered("bob");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A CPIM body, as a client would send it. */
    private static String cpim(String text) {
        return new String(CpimMessage.builder().from("sip:alice@cpm.example.com").to(BOB).text(text).build().toBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    @AfterEach
    void nothingElseReachedBob() throws InterruptedException {
        assertNull(bob.messages().poll(200, TimeUnit.MILLISECONDS), "bob got a message the test did not expect");
    }

    @Test
    void should_challenge_an_unauthenticated_message_with_sha256_then_md5_and_deliver_nothing() throws Exception {
        try (DigestProbe alice = new DigestProbe(fixture.port)) {
            String response = alice.send(alice.message(BOB, "", "hello?"));

            assertEquals(401, UdpProbe.status(response), response);
            List<DigestChallenge> challenges = DigestProbe.challenges(response);
            assertEquals(List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5),
                    challenges.stream().map(DigestChallenge::algorithm).toList());
            for (DigestChallenge c : challenges) {
                assertEquals("cpm.example.com", c.realm());
                assertEquals("auth", c.qop());
                assertNotNull(c.opaque());
                assertTrue(!c.stale());
            }
        }
    }

    @Test
    void should_challenge_baresip_and_a_request_without_user_agent_with_md5_alone() throws Exception {
        try (DigestProbe client = new DigestProbe(fixture.port)) {
            String baresip = client.message(BOB, "", "hello?").replace("User-Agent: " + DigestProbe.USER_AGENT,
                    "User-Agent: baresip v1.0.0 (x86_64/linux)");
            String anonymous = client.message(BOB, "", "hello?").replace("User-Agent: " + DigestProbe.USER_AGENT + "\n",
                    "");
            for (String request : List.of(baresip, anonymous)) {
                String response = client.send(request);

                assertEquals(401, UdpProbe.status(response), response);
                assertEquals(List.of(DigestAlgorithm.MD5),
                        DigestProbe.challenges(response).stream().map(DigestChallenge::algorithm).toList(), response);
            }
        }
    }

    @Test
    void should_deliver_when_the_challenge_is_answered_with_sha256_or_md5() throws Exception {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            try (DigestProbe alice = new DigestProbe(fixture.port)) {
                String response = alice.sendAuthenticated(alice.message(BOB, "", cpim("by " + algorithm.token())), "alice",
                        "alice-demo", algorithm);

                assertEquals(200, UdpProbe.status(response), response);
            }
            ReceivedMessage received = bob.next();
            assertNotNull(received, "nothing delivered after " + algorithm.token());
            assertEquals("by " + algorithm.token(), received.text());
            assertEquals("<sip:alice@cpm.example.com>", received.header("P-Asserted-Identity").orElseThrow());
            assertTrue(received.header("Authorization").isEmpty(), "credentials must not travel past the core");
        }
    }

    @Test
    void should_refuse_a_wrong_password_with_403_authentication_failed() throws Exception {
        SendResult result = fixture.clientWithPassword("alice", "udp", "not-her-password")
                .send(BOB, "let me in").get(10, TimeUnit.SECONDS);

        assertEquals(403, result.status(), result.toString());
        assertEquals("Authentication failed", result.reason());
    }

    @Test
    void should_refuse_a_replayed_authorization_with_a_new_stale_challenge() throws Exception {
        try (DigestProbe alice = new DigestProbe(fixture.port)) {
            byte[] first = DigestProbe.crlf(alice.message(BOB, "", cpim("once")));
            alice.probe().sendRaw(first, fixture.port);
            String challenge = alice.probe().awaitFinal();
            byte[] authenticated = DigestProbe.withHeader(first, "Authorization: "
                    + DigestProbe.answer(challenge, first, "alice", "alice-demo", DigestAlgorithm.SHA_256, 1));
            alice.probe().sendRaw(authenticated, fixture.port);
            assertEquals(200, UdpProbe.status(alice.probe().awaitFinal()));
            assertEquals("once", bob.next().text());

            alice.probe().sendRaw(DigestProbe.asNewTransaction(authenticated), fixture.port);
            String replayed = alice.probe().awaitFinal();

            assertEquals(401, UdpProbe.status(replayed), replayed);
            DigestChallenge fresh = DigestProbe.challenges(replayed).get(0);
            assertTrue(fresh.stale(), replayed);
            assertNotEquals(DigestProbe.challenges(challenge).get(0).nonce(), fresh.nonce());
        }
    }

    @Test
    void should_answer_an_expired_nonce_with_401_stale_true_and_a_new_nonce() throws Exception {
        String expired = ExpiredNonces.signedWith(NONCE_SECRET, 300);
        DigestChallenge old = new DigestChallenge("cpm.example.com", expired, ExpiredNonces.opaqueOf(NONCE_SECRET),
                DigestAlgorithm.SHA_256, "auth", false);
        try (DigestProbe alice = new DigestProbe(fixture.port)) {
            byte[] wire = DigestProbe.crlf(alice.message(BOB, "", "late"));
            String credentials = DigestAuthorization.answer(old, "alice", "alice-demo", "MESSAGE", BOB, 1,
                    UUID.randomUUID().toString()).toHeaderValue();
            alice.probe().sendRaw(DigestProbe.withHeader(wire, "Authorization: " + credentials), fixture.port);
            String response = alice.probe().awaitFinal();

            assertEquals(401, UdpProbe.status(response), response);
            List<DigestChallenge> fresh = DigestProbe.challenges(response);
            assertTrue(fresh.stream().allMatch(DigestChallenge::stale), response);
            assertNotEquals(expired, fresh.get(0).nonce());
        }
    }

    @Test
    void should_refuse_403_when_from_is_not_the_authenticated_subscriber() throws Exception {
        try (DigestProbe mallory = new DigestProbe(fixture.port)) {
            // From alice, credentials of mallory
            String response = mallory.sendAuthenticated(mallory.message(BOB, "", "it is alice, really"), "mallory",
                    "mallory-demo", DigestAlgorithm.SHA_256);

            assertEquals(403, UdpProbe.status(response), response);
            assertTrue(response.startsWith("SIP/2.0 403 From does not match the authenticated identity"), response);
        }
    }

    @Test
    void should_accept_the_subscribers_own_tel_alias_in_from_and_preferred_identity_but_not_anothers() throws Exception {
        try (DigestProbe alice = new DigestProbe(fixture.port)) {
            String asNumber = alice.message(BOB, "P-Preferred-Identity: <tel:+1-555-123-0001>\n", cpim("by number"))
                    // the SIP From only (the first one): the CPIM From in the body stays, and so does Content-Length
                    .replaceFirst(java.util.regex.Pattern.quote("From: <sip:alice@cpm.example.com>"),
                            "From: <sip:+15551230001@cpm.example.com;user=phone>");
            assertEquals(200, UdpProbe.status(alice.sendAuthenticated(asNumber, "alice", "alice-demo",
                    DigestAlgorithm.SHA_256)));
        }
        ReceivedMessage received = bob.next();
        assertNotNull(received);
        assertEquals("<tel:+15551230001>", received.header("P-Asserted-Identity").orElseThrow());

        try (DigestProbe alice = new DigestProbe(fixture.port)) {
            String asCarol = alice.message(BOB, "P-Preferred-Identity: <sip:carol@cpm.example.com>\n", "x");
            String response = alice.sendAuthenticated(asCarol, "alice", "alice-demo", DigestAlgorithm.MD5);
            assertEquals(403, UdpProbe.status(response), response);
        }
    }

    @Test
    void should_refuse_403_when_a_subscriber_registers_someone_elses_address_of_record() throws Exception {
        try (DigestProbe alice = new DigestProbe(fixture.port)) {
            String register = alice.message("sip:cpm.example.com",
                            "Contact: <sip:bob@127.0.0.1:" + alice.port() + ">\nExpires: 600\n", "")
                    .replace("MESSAGE", "REGISTER").replace("To: <sip:cpm.example.com>", "To: <" + BOB + ">")
                    .replace("Content-Type: message/cpim\n", "");
            String response = alice.sendAuthenticated(register, "alice", "alice-demo", DigestAlgorithm.SHA_256);

            assertEquals(403, UdpProbe.status(response), response);
            assertTrue(response.startsWith("SIP/2.0 403 To does not match the authenticated identity"), response);
        }
        assertEquals(1, fixture.router.stores().registrations().activeBindings(BOB).size(), "only bob's own");
    }

    @Test
    void should_assert_the_authenticated_sender_when_carol_forges_alices_asserted_identity() throws Exception {
        try (DigestProbe carol = new DigestProbe(fixture.port)) {
            String forged = carol.message(BOB, "P-Asserted-Identity: <sip:alice@cpm.example.com>\n", cpim("from alice?"))
                    .replace("From: <sip:alice@cpm.example.com>", "From: <sip:carol@cpm.example.com>");
            assertEquals(200, UdpProbe.status(carol.sendAuthenticated(forged, "carol", "carol-demo",
                    DigestAlgorithm.SHA_256)));
        }
        ReceivedMessage received = bob.next();
        assertNotNull(received);
        assertEquals("<sip:carol@cpm.example.com>", received.header("P-Asserted-Identity").orElseThrow());
        assertEquals("sip:carol@cpm.example.com", received.sender());
    }

    @Test
    void should_authenticate_the_client_library_and_reuse_its_nonce_for_the_next_message() throws Exception {
        var alice = fixture.client("alice");
        assertEquals(200, alice.send(BOB, "one").get(10, TimeUnit.SECONDS).status());
        assertEquals(200, alice.send(BOB, "two").get(10, TimeUnit.SECONDS).status());
        assertEquals("one", bob.next().text());
        assertEquals("two", bob.next().text());
    }

    @Test
    void should_set_a_password_over_the_admin_api_and_never_show_it() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String carol = java.net.URLEncoder.encode("sip:carol@cpm.example.com", java.nio.charset.StandardCharsets.UTF_8);
        String base = "http://127.0.0.1:" + fixture.adminPort + "/admin/subscribers/" + carol;
        var put = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/password"))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"password\":\"carols-new-one\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(204, put.statusCode(), put.body());
        try {
            var shown = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, shown.statusCode());
            assertTrue(shown.body().contains("\"passwordSet\":true") && shown.body().contains("\"digestUsername\":\"carol\""),
                    shown.body());
            assertTrue(!shown.body().contains("carols-new-one") && !shown.body().toLowerCase().contains("ha1"),
                    shown.body());

            assertEquals(403, fixture.client("carol").send(BOB, "old password").get(10, TimeUnit.SECONDS).status());
            assertEquals(200, fixture.clientWithPassword("carol", "udp", "carols-new-one").send(BOB, "new password")
                    .get(10, TimeUnit.SECONDS).status());
            assertEquals("new password", bob.next().text());
        } finally {
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/password"))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"password\":\"carol-demo\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }
}
