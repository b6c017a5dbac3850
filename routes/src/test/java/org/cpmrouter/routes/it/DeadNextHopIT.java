package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Next hops that fail, over real sockets on 127.0.0.1: the sender always gets a final answer, never a hang.
 * A recipient client that reads and never answers: 408 once the transaction timeout is over. A role the router
 * relays to over SIP that never answers: 504. A role whose TCP port refuses connections: 503 at once, with no
 * thread left behind per failed request, and the next request succeeds once a router serves that role again.
 */
class DeadNextHopIT {

    /** Short enough for a test; the default is RFC 3261 Timer F, 32 s. */
    private static final String TIMEOUT_MS = "2000";

    @TempDir
    Path dataDir;
    @TempDir
    Path remoteDataDir;

    @Test
    void should_hold_the_message_with_202_when_the_recipient_client_reads_and_never_answers() throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir, RouterFixture.freePort(),
                Map.of("cpm.sip.transaction-timeout-ms", TIMEOUT_MS));
             RawUserAgent bob = new RawUserAgent()) {
            assertEquals(200, bob.register("bob", router.port, 600));
            CompletableFuture<SendResult> sent = router.client("alice").send(RouterFixture.uri("bob"), "hello?");
            RawUserAgent.Received atBob = bob.awaitRequest(Duration.ofSeconds(20));
            assertNotNull(atBob, "the MESSAGE reached bob's client, which does not answer");
            assertTrue(atBob.text().startsWith("MESSAGE "), atBob.text());
            SendResult result = sent.get(30, TimeUnit.SECONDS);
            // no answer is a device that may take it later: held for it (deferred delivery), not lost with a 408
            assertEquals(202, result.status(), result.toString());
            assertEquals(1, router.router.stores().deferred().summary(RouterFixture.uri("bob")).count());
        }
    }

    @Test
    void should_answer_504_when_a_role_relayed_to_over_sip_never_answers() throws Exception {
        try (RawUserAgent hungRole = new RawUserAgent();
             RouterFixture router = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of(
                     "cpm.sip.transaction-timeout-ms", TIMEOUT_MS,
                     "cpm.hop.participating-terminating", "sip-message:127.0.0.1:" + hungRole.port()))) {
            CompletableFuture<SendResult> sent = router.client("alice").send(RouterFixture.uri("bob"), "hello?");
            RawUserAgent.Received atRole = hungRole.awaitRequest(Duration.ofSeconds(20));
            assertNotNull(atRole, "the core relayed the MESSAGE to the terminating Participating Function");
            SendResult result = sent.get(30, TimeUnit.SECONDS);
            assertEquals(504, result.status(), result.toString());
        }
    }

    @Test
    void should_answer_503_at_once_while_a_remote_role_is_down_and_deliver_once_it_is_back() throws Exception {
        int remotePort = RouterFixture.freePort();
        // the terminating Participating Function runs on another router, over TCP; this one trusts it and it
        // trusts this one (both on 127.0.0.1, where TCP connections come from any port)
        try (RouterFixture router = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of(
                "cpm.sip.transaction-timeout-ms", "20000",
                "cpm.sip.trusted-peers", "127.0.0.1",
                "cpm.hop.participating-terminating", "sip-message:127.0.0.1:" + remotePort + "?transport=tcp"))) {
            RouterFixture.Inbox bob = router.registered("bob");
            CpmClient alice = router.client("alice");
            // a 503 within the 20 s transaction timeout can only come from the refused connection (a timeout is 504)
            assertEquals(503, send(alice, "first").status());
            // the pools of the router start their threads lazily, up to their bounds (the fan-outs' journal writers
            // start theirs as their passes come round): a first batch lets them fill, the second must not grow them
            // by anything like a thread per request (this JVM runs the other tests' routers too, so a few threads
            // come and go of their own)
            sendWhileDown(alice, "filling the pools");
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            sendWhileDown(alice, "while down");
            List<String> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .map(Thread::getName).sorted().toList();
            assertTrue(started.size() <= 10, started.size() + " threads started over 100 failed requests, with "
                    + "the pools already filled: " + started);

            try (RouterProcess remote = RouterProcess.start(remoteDataDir, remotePort, Map.of(
                    "cpm.sip.trusted-peers", "127.0.0.1",
                    "cpm.hop.core", "sip-message:127.0.0.1:" + router.port))) {
                SendResult result = send(alice, "back again");
                assertEquals(200, result.status(), result + "\nremote router:\n" + remote.output());
                ReceivedMessage received = bob.next();
                assertNotNull(received);
                assertEquals("back again", received.text());
            }
        }
    }

    private static void sendWhileDown(CpmClient alice, String text) throws Exception {
        for (int i = 0; i < 100; i++) {
            assertEquals(503, send(alice, text + " " + i).status());
        }
    }

    private static SendResult send(CpmClient alice, String text) throws Exception {
        return alice.send(RouterFixture.uri("bob"), text).get(30, TimeUnit.SECONDS);
    }
}
