package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.sip.UdpProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-sender rate limit over real SIP: past its burst a sender gets 503 with Retry-After; others do not. On by
 * default (1 message a second, bursts of 30).
 */
class SenderRateLimitIT {

    @TempDir
    Path dataDir;

    @Test
    void should_answer_503_with_retry_after_when_a_sender_exceeds_the_limit() throws Exception {
        try (RouterFixture fixture = RouterFixture.start(dataDir, RouterFixture.freePort(),
                Map.of("cpm.limits.sender-rate", "0.5", "cpm.limits.sender-burst", "2"))) {
            RouterFixture.Inbox bob = fixture.registered("bob");
            var alice = fixture.client("alice");
            assertEquals(200, alice.send(RouterFixture.uri("bob"), "1").get(10, TimeUnit.SECONDS).status());
            assertEquals(200, alice.send(RouterFixture.uri("bob"), "2").get(10, TimeUnit.SECONDS).status());
            try (DigestProbe probe = new DigestProbe(fixture.port)) {
                String third = probe.message("sip:bob@cpm.example.com", "", "3");
                String response = probe.sendAuthenticated(third, "alice", RouterFixture.password("alice"),
                        org.cpmrouter.sip.auth.DigestAlgorithm.SHA_256);
                assertEquals(503, UdpProbe.status(response), response);
                assertTrue(response.contains("Retry-After: "), response);
            }
            assertEquals("1", bob.next().text());
            assertEquals("2", bob.next().text());
            // carol's allowance is her own: alice being over hers does not touch it
            assertEquals(200, fixture.client("carol").send(RouterFixture.uri("bob"), "from carol")
                    .get(10, TimeUnit.SECONDS).status());
            assertEquals("from carol", bob.next().text());
        }
    }

    @Test
    void should_hold_an_authenticated_flood_to_the_shipped_limit_while_another_sender_is_served() throws Exception {
        try (RouterFixture fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of())) {
            RouterFixture.Inbox bob = fixture.registered("bob");
            var alice = fixture.client("alice");
            int accepted = 0;
            String refusal = null;
            for (int i = 0; i < 60 && refusal == null; i++) {
                var result = alice.send(RouterFixture.uri("bob"), "flood " + i).get(10, TimeUnit.SECONDS);
                if (result.status() == 200) {
                    accepted++;
                    bob.next();
                } else {
                    assertEquals(503, result.status(), result.toString());
                    refusal = result.toString();
                }
            }
            assertTrue(refusal != null, "60 messages at once were all accepted");
            assertTrue(accepted >= 30, "the burst of 30 was cut short at " + accepted);
            assertEquals(200, fixture.client("carol").send(RouterFixture.uri("bob"), "carol is not alice")
                    .get(10, TimeUnit.SECONDS).status());
            assertEquals("carol is not alice", bob.next().text());
        }
    }
}
