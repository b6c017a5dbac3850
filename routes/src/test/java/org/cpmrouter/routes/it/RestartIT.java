package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.groupstore.Subscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store keeps subscribers, registrations and groups across a restart of the router on one data dir. */
class RestartIT {

    @TempDir
    Path dataDir;

    @Test
    void should_deliver_to_registration_made_before_restart_when_router_restarts() throws Exception {
        int port = RouterFixture.freePort();
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        try (CpmClient bob = CpmClient.start(ClientConfig.of(RouterFixture.uri("bob"), "127.0.0.1", port)
                .withPassword(RouterFixture.password("bob")))) {
            bob.onMessage(inbox::add);
            try (RouterFixture first = RouterFixture.start(dataDir, port, Map.of())) {
                assertEquals(200, bob.register(600).get(10, TimeUnit.SECONDS).status());
                first.router.stores().subscribers().save(
                        new Subscriber("sip:dave@cpm.example.com", java.util.List.of(), true, false));
                assertEquals(true, first.router.stores().groups().addMember("sip:family@cpm.example.com",
                        "sip:dave@cpm.example.com"));
            }
            try (RouterFixture second = RouterFixture.start(dataDir, port, Map.of())) {
                assertEquals(200, second.client("alice").send(RouterFixture.uri("bob"), "after restart")
                        .get(10, TimeUnit.SECONDS).status());
                ReceivedMessage received = inbox.poll(10, TimeUnit.SECONDS);
                assertNotNull(received);
                assertEquals("after restart", received.text());
                // a subscriber added at run time is still there, and the demo data was not loaded over it again
                assertEquals(5, second.router.stores().subscribers().count());
                // so is the group change, and the demo group was not re-imported over it
                assertEquals(java.util.List.of("sip:alice@cpm.example.com", "sip:bob@cpm.example.com",
                        "sip:carol@cpm.example.com", "sip:dave@cpm.example.com"),
                        second.router.stores().groups().members("sip:family@cpm.example.com"));
            }
        }
    }
}
