package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.sip.UdpProbe;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router behind a real Kamailio as the IMS core in front, with the shipped example configuration
 * ({@code config/examples/kamailio-ims-core.cfg}, docs/deploy-behind-ims-core.md): Kamailio authenticates the
 * clients, asserts their identity and adds {@code Path} to their registrations; the router trusts it alone
 * ({@code cpm.sip.trusted-peers}). alice → Kamailio → router → Kamailio (through the Path) → bob, 200 back to
 * alice; a forged {@code P-Asserted-Identity} a client sends straight to the router is still removed. Kamailio is
 * Debian's {@code kamailio}, installed by {@code .ci/run}; on CI a missing Kamailio fails the test.
 */
class KamailioImsCoreIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path kamailioDir;

    private Process kamailio;
    private int kamailioPort;

    @BeforeEach
    void requireKamailio() {
        Kamailio.requireInstalled();
    }

    @AfterEach
    void stopKamailio() throws InterruptedException {
        Kamailio.stop(kamailio);
    }

    @Test
    void should_carry_alice_to_bob_through_kamailio_both_ways_and_still_remove_a_forged_identity() throws Exception {
        kamailioPort = RouterFixture.freePort();
        int routerPort = RouterFixture.freePort();
        try (RouterFixture router = RouterFixture.start(dataDir, routerPort,
                Map.of("cpm.sip.trusted-peers", "127.0.0.1:" + kamailioPort))) {
            startKamailio(routerPort);
            CpmClient bobClient = router.client(behindKamailio("bob"));
            RouterFixture.Inbox bob = router.registered(bobClient);
            CpmClient alice = router.client(behindKamailio("alice"));

            SendResult sent = alice.send(RouterFixture.uri("bob"), "through the core").get(30, TimeUnit.SECONDS);

            assertEquals(200, sent.status(), sent + "\n" + kamailioLog());
            ReceivedMessage received = bob.next();
            assertNotNull(received, "bob got nothing\n" + kamailioLog());
            assertEquals("through the core", received.text());
            assertEquals("<sip:alice@cpm.example.com>", received.header("P-Asserted-Identity").orElseThrow());
            assertTrue(kamailioLog().contains("from the router to sip:bob@127.0.0.1:"),
                    "the delivery did not pass Kamailio (Path not followed):\n" + kamailioLog());

            try (DigestProbe mallory = new DigestProbe(routerPort)) {
                String forged = mallory.message(RouterFixture.uri("bob"),
                        "P-Asserted-Identity: <sip:carol@cpm.example.com>\n", "not from carol")
                        .replace("Content-Type: message/cpim", "Content-Type: text/plain");
                String response = mallory.sendAuthenticated(forged, "alice", RouterFixture.password("alice"),
                        DigestAlgorithm.SHA_256);
                assertEquals(200, UdpProbe.status(response), response);
            }
            ReceivedMessage straight = bob.next();
            assertNotNull(straight, "the message sent straight to the router did not reach bob");
            assertEquals("<sip:alice@cpm.example.com>", straight.header("P-Asserted-Identity").orElseThrow(),
                    "a client's own P-Asserted-Identity must be removed");
        }
    }

    private ClientConfig behindKamailio(String user) {
        return ClientConfig.of(RouterFixture.uri(user), "127.0.0.1", kamailioPort)
                .withPassword(RouterFixture.password(user));
    }

    private void startKamailio(int routerPort) throws IOException {
        kamailio = Kamailio.start("kamailio-ims-core.cfg", kamailioDir, kamailioPort, "ROUTER_PORT=" + routerPort,
                "ROUTER_URI=\"sip:127.0.0.1:" + routerPort + "\"");
    }

    private String kamailioLog() {
        return Kamailio.log(kamailioDir);
    }
}
