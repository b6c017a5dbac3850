package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.sip.UdpProbe;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recipient's client that refuses what it was sent with 415 or 488 says what it takes in {@code Accept}; the
 * router relays that to the sender with the status (RFC 3261 21.4.13), so the sender can send it again in a form
 * the recipient takes, and its {@code Server}, so the sender learns who refused; a refusal of the router's own says
 * {@code Server: CPM-Router}. Without them the sender only learns that something was refused.
 */
class MediaRefusalRelayIT {

    @TempDir
    Path dataDir;

    @Test
    void should_relay_the_recipients_accept_when_its_client_refuses_415() throws Exception {
        String response = refusedByBob(415, "Unsupported Media Type",
                "Accept: message/cpim\r\nAccept-Encoding: identity\r\nServer: BobPhone/2.1\r\n");
        assertEquals(415, UdpProbe.status(response), response);
        assertEquals(List.of("BobPhone/2.1"), UdpProbe.headerValues(response, "Server"), "who refused: " + response);
        assertEquals(List.of("message/cpim"), UdpProbe.headerValues(response, "Accept"), response);
        assertEquals(List.of("identity"), UdpProbe.headerValues(response, "Accept-Encoding"), response);
    }

    @Test
    void should_relay_the_recipients_accept_when_its_client_refuses_488() throws Exception {
        String response = refusedByBob(488, "Not Acceptable Here", "Accept: text/plain\r\n");
        assertEquals(488, UdpProbe.status(response), response);
        assertEquals(List.of("text/plain"), UdpProbe.headerValues(response, "Accept"), response);
        assertEquals(List.of(), UdpProbe.headerValues(response, "Server"),
                "bob's client named no Server: the router must not claim the refusal: " + response);
    }

    @Test
    void should_name_itself_in_server_when_the_router_refuses() throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir);
             DigestProbe alice = new DigestProbe(router.port)) {
            String request = alice.message("sip:bob@" + RouterFixture.DOMAIN, "", "bytes")
                    .replace("Content-Type: message/cpim", "Content-Type: application/octet-stream");
            String response = alice.sendAuthenticated(request, "alice", RouterFixture.password("alice"),
                    DigestAlgorithm.SHA_256);

            assertEquals(415, UdpProbe.status(response), response);
            assertEquals(List.of("CPM-Router"), UdpProbe.headerValues(response, "Server"), response);
        }
    }

    /** alice sends bob a plain-text MESSAGE; bob's client refuses it as told; the response alice gets. */
    private String refusedByBob(int status, String reason, String acceptLines) throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir);
             RawUserAgent bob = new RawUserAgent();
             DigestProbe alice = new DigestProbe(router.port)) {
            assertEquals(200, bob.register("bob", router.port, 600));
            String request = alice.message("sip:bob@" + RouterFixture.DOMAIN, "", "plain hello")
                    .replace("Content-Type: message/cpim", "Content-Type: text/plain");
            CompletableFuture<String> sent = CompletableFuture.supplyAsync(() -> {
                try {
                    return alice.sendAuthenticated(request, "alice", RouterFixture.password("alice"),
                            DigestAlgorithm.SHA_256);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            RawUserAgent.Received atBob = bob.awaitRequest(Duration.ofSeconds(20));
            assertNotNull(atBob, "the MESSAGE reached bob's client");
            assertTrue(atBob.text().startsWith("MESSAGE "), atBob.text());
            bob.answer(atBob, status, reason, acceptLines);
            return sent.get(30, TimeUnit.SECONDS);
        }
    }
}
