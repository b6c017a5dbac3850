package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a router in its own JVM while messages are in flight, then a restart on the same data
 * directory: what it had confirmed is all there. The demo subscribers (bob can receive, mallory is still barred),
 * bob's registration made before the kill (a message reaches the client he registered, which did not register
 * again), and a group the admin API created just before the kill (a message to it is accepted).
 */
class CrashRestartIT {

    private static final String GROUP = "sip:crash-survivors@cpm.example.com";

    @TempDir
    Path dataDir;

    @Test
    void should_keep_subscribers_registration_and_a_group_created_just_before_a_kill_9() throws Exception {
        int port = RouterFixture.freePort();
        BlockingQueue<ReceivedMessage> bobInbox = new LinkedBlockingQueue<>();
        try (CpmClient bob = client("bob", port); CpmClient alice = client("alice", port);
             CpmClient mallory = client("mallory", port)) {
            bob.onMessage(bobInbox::add);
            try (RouterProcess first = RouterProcess.start(dataDir, port, Map.of())) {
                assertEquals(200, bob.register(600).get(20, TimeUnit.SECONDS).status());
                assertEquals(201, createGroup(first.adminPort), "the admin API confirmed the group");
                List<CompletableFuture<SendResult>> inFlight = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    inFlight.add(alice.send(RouterFixture.uri("bob"), "before the kill " + i));
                }
                // the router is at work on them: the first has reached bob, others are on their way
                assertTrue(bobInbox.poll(20, TimeUnit.SECONDS) != null, "no message of the load reached bob");
                // SIGKILL: the JVM ends at once, no shutdown hook runs (exit status 128 + 9)
                assertEquals(137, first.kill9(), first.output());
                assertFalse(first.output().contains("CPM Router stopped"), "the router must not have stopped cleanly");
            }
            try (RouterProcess second = RouterProcess.start(dataDir, port, Map.of())) {
                assertTrue(second.output().contains("CPM Router ready"));
                SendResult toBob = alice.send(RouterFixture.uri("bob"), "after the kill").get(20, TimeUnit.SECONDS);
                assertEquals(200, toBob.status(), toBob + "\n" + second.output());
                assertTrue(receives(bobInbox, "after the kill"), "bob's registration from before the kill");
                assertEquals(403, mallory.send(RouterFixture.uri("bob"), "let me in").get(20, TimeUnit.SECONDS)
                        .status(), "mallory is still a barred demo subscriber");
                SendResult toGroup = alice.send(GROUP, "to the group made before the kill").get(20, TimeUnit.SECONDS);
                assertEquals(202, toGroup.status(), toGroup + "\n" + second.output());
                assertTrue(receives(bobInbox, "to the group made before the kill"), "bob, a member, gets his copy");
            }
        }
    }

    @Test
    void should_send_an_accepted_group_message_after_a_kill_9_to_the_members_it_had_not_reached() throws Exception {
        int port = RouterFixture.freePort();
        try (RawUserAgent silentBob = new RawUserAgent(); CpmClient alice = client("alice", port)) {
            String firstCallId;
            String messageId;
            try (RouterProcess first = RouterProcess.start(dataDir, port, Map.of())) {
                assertEquals(200, silentBob.register("bob", port, 600));
                SendResult accepted = alice.send("sip:family@cpm.example.com", "accepted before the kill")
                        .get(20, TimeUnit.SECONDS);
                assertEquals(202, accepted.status(), accepted.toString());
                // bob's copy is in flight: his client has it and does not answer; then the router dies
                RawUserAgent.Received copy = silentBob.awaitRequest(Duration.ofSeconds(20));
                assertTrue(copy != null && copy.text().startsWith("MESSAGE "), "bob's copy did not arrive");
                firstCallId = copy.header("Call-ID");
                messageId = imdnMessageId(copy.text());
                assertEquals(137, first.kill9(), first.output());
            }
            try (RouterProcess second = RouterProcess.start(dataDir, port, Map.of())) {
                RawUserAgent.Received again = silentBob.awaitRequest(Duration.ofSeconds(20));
                while (again != null && firstCallId.equals(again.header("Call-ID"))) {
                    again = silentBob.awaitRequest(Duration.ofSeconds(20)); // the dead router's retransmissions
                }
                assertTrue(again != null, "the accepted message did not reach bob after the restart\n"
                        + second.output());
                assertEquals(messageId, imdnMessageId(again.text()), "the same message, recognisable as such");
                silentBob.answer(again, 200, "OK");
                // the log reaches standard output within 100 ms (buffered), possibly after bob already has his copy
                assertTrue(second.awaitLine("resumed after a restart", Duration.ofSeconds(5)), second.output());
            }
        }
    }

    private static String imdnMessageId(String request) {
        return request.lines().filter(l -> l.startsWith("imdn.Message-ID:")).findFirst()
                .orElseThrow(() -> new AssertionError("no imdn.Message-ID in " + request)).substring(16).trim();
    }

    private static CpmClient client(String user, int port) throws Exception {
        return CpmClient.start(ClientConfig.of(RouterFixture.uri(user), "127.0.0.1", port)
                .withPassword(RouterFixture.password(user)));
    }

    private static int createGroup(int adminPort) throws Exception {
        String json = "{\"uri\":\"" + GROUP + "\",\"displayName\":\"Crash survivors\","
                + "\"members\":[\"sip:alice@cpm.example.com\",\"sip:bob@cpm.example.com\"]}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/admin/groups"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    /** Whether the text arrives (messages sent before the kill may arrive first, or not at all). */
    private static boolean receives(BlockingQueue<ReceivedMessage> inbox, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ReceivedMessage m = inbox.poll(20, TimeUnit.SECONDS); m != null;
             m = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            if (text.equals(m.text())) {
                return true;
            }
        }
        return false;
    }
}
