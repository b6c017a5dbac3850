package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hop between roles configured as SIP instead of in-memory ({@code cpm.hop.*=sip-message:...}), here back
 * to the same node, which trusts itself as a peer: the message crosses SIP between the core and each
 * Participating Function and still takes every leg exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolesOverSipHopsIT {

    @TempDir
    static Path dataDir;

    private RouterFixture fixture;

    @BeforeAll
    void start() throws Exception {
        int port = RouterFixture.freePort();
        String self = "sip-message:127.0.0.1:" + port;
        fixture = RouterFixture.start(dataDir, port, Map.of(
                "cpm.hop.participating-originating", self,
                "cpm.hop.participating-terminating", self,
                "cpm.hop.core", self,
                "cpm.sip.trusted-peers", "127.0.0.1:" + port,
                "cpm.sip.queue-timeout-ms", "1500"));
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void should_deliver_and_relay_200_when_every_role_hop_is_sip() throws Exception {
        RouterFixture.Inbox bob = fixture.registered("bob");
        SendResult result = fixture.client("alice").send(RouterFixture.uri("bob"), "via four SIP hops")
                .get(20, TimeUnit.SECONDS);
        assertEquals(200, result.status(), result.toString());
        ReceivedMessage received = bob.next();
        assertNotNull(received);
        assertEquals("via four SIP hops", received.text());
        // one Max-Forwards per SIP hop: client 70, core->PF-orig 69, PF->core 68, core->PF-term 67, PF->core 66,
        // core->client 65
        assertEquals("65", received.header("Max-Forwards").orElseThrow());
    }

    @Test
    void should_configure_the_sip_component_from_router_settings() {
        var component = (org.cpmrouter.sip.camel.SipMessageComponent) fixture.router.camelContext()
                .getComponent("sip-message");
        assertEquals(1500, component.getQueueTimeoutMs());
        assertEquals("127.0.0.1:" + fixture.port, component.getLocalAddress());
    }

    @Test
    void should_still_refuse_barred_sender_when_hops_are_sip() throws Exception {
        SendResult result = fixture.client("mallory").send(RouterFixture.uri("bob"), "x").get(20, TimeUnit.SECONDS);
        assertEquals(403, result.status());
    }
}
