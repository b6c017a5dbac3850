package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.sip.UdpProbe;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trusted peer (an IMS core in front, another router node) is not challenged: it has authenticated its users and
 * asserts their identity itself, which the router believes (RFC 3325). The same request from anyone else is.
 */
class TrustedPeerIT {

    @TempDir
    Path dataDir;

    @Test
    void should_believe_a_trusted_peers_asserted_identity_without_a_challenge_and_challenge_anyone_else()
            throws Exception {
        try (UdpProbe imsCore = new UdpProbe(); UdpProbe stranger = new UdpProbe()) {
            try (RouterFixture fixture = RouterFixture.start(dataDir, RouterFixture.freePort(),
                    Map.of("cpm.sip.trusted-peers", "127.0.0.1:" + imsCore.port()))) {
                RouterFixture.Inbox bob = fixture.registered("bob");
                String body = new String(CpimMessage.builder().from("sip:carol@cpm.example.com")
                        .to("sip:bob@cpm.example.com").text("via the IMS core").build().toBytes(), StandardCharsets.UTF_8);
                assertEquals(401, UdpProbe.status(stranger.exchange(assertingCarol(stranger, fixture, body),
                        fixture.port)));
                String response = imsCore.exchange(assertingCarol(imsCore, fixture, body), fixture.port);

                assertEquals(200, UdpProbe.status(response), response);
                ReceivedMessage received = bob.next();
                assertNotNull(received);
                assertEquals("via the IMS core", received.text());
                assertEquals("<sip:carol@cpm.example.com>", received.header("P-Asserted-Identity").orElseThrow());
            }
        }
    }

    /** A MESSAGE from carol to bob, without credentials, that asserts carol's identity. */
    private static String assertingCarol(UdpProbe from, RouterFixture fixture, String body) {
        return from.message("sip:bob@cpm.example.com", fixture.port, "P-Asserted-Identity: <sip:carol@cpm.example.com>\n",
                        body)
                .replace("From: <sip:alice@cpm.example.com>", "From: <sip:carol@cpm.example.com>");
    }
}
