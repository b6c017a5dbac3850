package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two routers on one replicated store ({@code config/infinispan-cluster.xml}, JGroups on 127.0.0.1 under a cluster
 * name of this run's own): a message held on node 1 for an offline carol reaches her when she registers with node 2,
 * once, with its {@code imdn.Message-ID}.
 */
class ClusteredDeferredDeliveryIT {

    @TempDir
    Path dataDir;

    @Test
    void should_deliver_a_message_held_on_one_node_when_the_recipient_registers_on_the_other() throws Exception {
        Map<String, String> settings = Map.of("cpm.infinispan.config", "infinispan-cluster.xml",
                "cpm.smsc.embedded-test-peer", "false");
        List<String> cluster = List.of("-Dcpm.cluster.name=cpm-it-" + UUID.randomUUID(),
                "-Dcpm.cluster.port=" + RouterFixture.freePort(), "-Dcpm.cluster.join-timeout=1s");
        int port1 = RouterFixture.freePort();
        int port2 = RouterFixture.freePort();
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        try (RouterProcess node1 = RouterProcess.start(dataDir.resolve("node1"), port1, settings, cluster);
             RouterProcess node2 = RouterProcess.start(dataDir.resolve("node2"), port2, settings, cluster);
             CpmClient alice = client("alice", port1);
             CpmClient carol = client("carol", port2)) {
            SendResult held = alice.send(RouterFixture.uri("carol"), "held on node 1").get(20, TimeUnit.SECONDS);
            assertEquals(202, held.status(), held + "\n" + node1.output());

            carol.onMessage(inbox::add);
            assertEquals(200, carol.register(600).get(20, TimeUnit.SECONDS).status());
            ReceivedMessage received = inbox.poll(20, TimeUnit.SECONDS);

            assertNotNull(received, "carol, registered on node 2, did not get what node 1 held\n" + node2.output());
            assertEquals("held on node 1", received.text());
            assertNotNull(CpimMessage.parse(received.body()).imdnMessageId().orElse(null));
            assertNull(inbox.poll(2, TimeUnit.SECONDS), "delivered twice");
        }
    }

    private static CpmClient client(String user, int port) throws Exception {
        return CpmClient.start(ClientConfig.of(RouterFixture.uri(user), "127.0.0.1", port)
                .withPassword(RouterFixture.password(user)));
    }
}
