package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.SendResult;
import org.cpmrouter.smpp.testpeer.SmscTestPeer;
import org.cpmrouter.smpp.testpeer.SubmittedSms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's two routers on one host, as far as SMS goes: both run the demo configuration, which starts the
 * embedded SMSC test peer on {@code cpm.smsc.port}. The second finds the port taken by the first's test peer: it
 * starts anyway, without a test peer of its own, and binds to the first's, over which its messages to SMS users go.
 */
class SecondRouterSmscTestPeerIT {

    @TempDir
    Path dataDir;

    @Test
    void should_start_and_use_the_test_peer_another_router_runs_on_its_smsc_port() throws Exception {
        try (SmscTestPeer first = SmscTestPeer.start("127.0.0.1", 0, "cpmrouter", "secret");
             RouterFixture second = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of(
                     "cpm.smsc.embedded-test-peer", "true",
                     "cpm.smsc.port", Integer.toString(first.port())))) {
            RouterFixture.Inbox alice = second.registered("alice");

            SendResult result = alice.client().send("tel:+15559990000", "via the first router's peer")
                    .get(10, TimeUnit.SECONDS);

            assertEquals(202, result.status(), result.toString());
            SubmittedSms sms = first.awaitSubmitted(s -> s.destination().equals("+15559990000"), 5000);
            assertEquals("via the first router's peer", sms.text());
        }
    }
}
