package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.cpmrouter.sip.UdpProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload control of the whole router over real SIP: with {@code cpm.overload.max-in-flight=1}, while bob's client
 * holds its answer to one message, the next message is refused 503 with the configured Retry-After before any
 * role sees it; once bob answers, the held message completes and the next one is delivered again. Bob is a raw UDP
 * peer, so the test decides when he answers: no timing involved.
 */
class OverloadControlIT {

    @TempDir
    Path dataDir;

    @Test
    void should_refuse_503_with_retry_after_while_full_and_deliver_again_when_a_place_frees() throws Exception {
        try (RouterFixture fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of(
                "cpm.overload.max-in-flight", "1", "cpm.overload.retry-after-seconds", "9",
                // a strict bound: with a burst allowance the next requests would be admitted for its 100 ms
                "cpm.overload.burst-ms", "0",
                // the raw peers below do not answer digest challenges (harmless where no such key exists yet)
                "cpm.auth.enabled", "false"));
             UdpProbe bob = new UdpProbe(); UdpProbe alice = new UdpProbe(); UdpProbe carol = new UdpProbe()) {
            assertEquals(200, UdpProbe.status(bob.exchange(register("bob", bob.port()), fixture.port)));
            String bobUri = RouterFixture.uri("bob");

            alice.send(alice.message(bobUri, fixture.port, "", "first"), fixture.port);
            String first = bob.awaitRequest("first");
            assertNotNull(first, "bob never got the first message");

            // the first message is in flight until bob answers: the router is full
            String refused = carol.exchange(carol.message(bobUri, fixture.port, "", "second"), fixture.port);
            assertEquals(503, UdpProbe.status(refused), refused);
            assertTrue(refused.contains("Retry-After: 9"), refused);

            bob.respond(first, 200, "OK", fixture.port);
            assertEquals(200, UdpProbe.status(alice.awaitFinal()));

            carol.send(carol.message(bobUri, fixture.port, "", "third"), fixture.port);
            String third = bob.awaitRequest("third");
            assertNotNull(third, "service did not resume once bob answered");
            bob.respond(third, 200, "OK", fixture.port);
            assertEquals(200, UdpProbe.status(carol.awaitFinal()));
        }
    }

    private static String register(String user, int contactPort) {
        String aor = RouterFixture.uri(user);
        return "REGISTER sip:" + RouterFixture.DOMAIN + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + contactPort + ";branch=z9hG4bK" + UUID.randomUUID() + "\n"
                + "Max-Forwards: 70\n"
                + "From: <" + aor + ">;tag=r" + contactPort + "\n"
                + "To: <" + aor + ">\n"
                + "Call-ID: " + UUID.randomUUID() + "@127.0.0.1\n"
                + "CSeq: 1 REGISTER\n"
                + "Contact: <sip:" + user + "@127.0.0.1:" + contactPort + ">\n"
                + "Expires: 600\n"
                + "Content-Length: 0\n\n";
    }
}
