package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two router processes clustered on one replicated store ({@code config/infinispan-cluster.xml}, JGroups on
 * 127.0.0.1 under a cluster name of this run's own) behind a real Kamailio with the shipped
 * {@code config/examples/kamailio-dispatcher.cfg}. alice sends bob a steady stream through Kamailio and a message
 * to a group; the router fanning the group message out gets {@code kill -9} while a member holds its copy. Every
 * message of the stream is answered {@code 200} (those the dead router had are failed over by Kamailio, those after
 * the dispatcher's detection go to the survivor at once); the survivor takes the fan-out over and sends only what
 * no member answered: bob, who answered before the kill, gets no second copy, carol, not reached before it, gets
 * one, and dave, whose copy was in flight at the kill (the crash window), gets it again with the same
 * {@code imdn.Message-ID}. Kamailio is Debian's {@code kamailio}, installed by {@code .ci/run}.
 */
class DispatcherFailoverIT {

    private static final Path KAMAILIO = Path.of("/usr/sbin/kamailio");
    private static final String GROUP = "sip:crew@cpm.example.com";
    /** Kamailio's wait for a router before it fails a request over; the routers' own wait must be shorter. */
    private static final int FAILOVER_TIMEOUT_MS = 4000;
    private static final int ROUTER_TRANSACTION_TIMEOUT_MS = 3000;
    /** OPTIONS every second, 1 s to answer: a dead router is out within 2 s. */
    private static final Duration DETECTION = Duration.ofSeconds(2);
    private static final int STREAM_INTERVAL_MS = 50;

    @TempDir
    Path tmp;

    private Process kamailio;
    private int kamailioPort;
    private final List<RouterProcess> routers = new ArrayList<>();

    @BeforeEach
    void requireKamailio() {
        Kamailio.requireInstalled();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        Kamailio.stop(kamailio);
        for (RouterProcess router : routers) {
            router.close();
        }
    }

    @Test
    void should_answer_every_message_200_through_the_survivor_and_finish_the_dead_nodes_fan_out_once()
            throws Exception {
        List<String> cluster = List.of("-Dcpm.cluster.name=cpm-it-" + UUID.randomUUID(),
                "-Dcpm.cluster.port=" + RouterFixture.freePort(), "-Dcpm.cluster.join-timeout=500ms");
        RouterProcess routerA = startRouter("router-a", cluster);
        RouterProcess routerB = startRouter("router-b", cluster);
        assertTrue(routerB.awaitLine("members [router-a, router-b]", Duration.ofSeconds(20)), routerB.output());
        assertEquals(201, post(routerA.adminPort, "/admin/subscribers", "{\"uri\":\"sip:dave@cpm.example.com\","
                + "\"telAliases\":[],\"cpmEnabled\":true,\"barred\":false,\"password\":\"dave-demo\"}"));
        // copies go out one at a time (cpm.controlling.fanout-in-flight=1), in this order: bob, dave, carol
        assertEquals(201, post(routerB.adminPort, "/admin/groups", "{\"uri\":\"" + GROUP + "\",\"displayName\":"
                + "\"Crew\",\"members\":[\"sip:alice@cpm.example.com\",\"sip:bob@cpm.example.com\","
                + "\"sip:dave@cpm.example.com\",\"sip:carol@cpm.example.com\"]}"));
        startKamailio(routerA.sipPort, routerB.sipPort);

        try (CpmClient alice = client("alice"); CpmClient bob = client("bob"); CpmClient carol = client("carol");
             RawUserAgent dave = new RawUserAgent()) {
            BlockingQueue<ReceivedMessage> bobInbox = registered(bob);
            BlockingQueue<ReceivedMessage> carolInbox = registered(carol);
            assertEquals(200, dave.register("dave", kamailioPort, 600), "dave registers through Kamailio");

            Stream stream = new Stream(alice);
            stream.start();
            Thread.sleep(1000);
            SendResult accepted = alice.send(GROUP, "crew message").get(20, TimeUnit.SECONDS);
            assertEquals(202, accepted.status(), accepted + "\n" + kamailioLog());
            // bob answered his copy; dave has his and does not answer: the fan-out waits on him
            RawUserAgent.Received held = dave.awaitRequest(Duration.ofSeconds(10));
            assertNotNull(held, "dave's copy did not arrive\n" + routerA.output() + "\n" + routerB.output());
            int ownerPort = ((InetSocketAddress) held.from()).getPort();
            RouterProcess owner = ownerPort == routerA.sipPort ? routerA : routerB;
            RouterProcess survivor = owner == routerA ? routerB : routerA;
            assertEquals(ownerPort, owner.sipPort, "dave's copy came from a router's SIP port");
            // bob's answer is written with the journal's next pass (cpm.controlling.fanout-journal-interval-ms, 50
            // here); a kill before it would send bob the message again, with the same Message-ID
            Thread.sleep(1000);

            assertEquals(137, owner.kill9(), "kill -9 of the router fanning the group message out");
            long killedAt = System.nanoTime();

            RawUserAgent.Received again = dave.awaitRequest(Duration.ofSeconds(20));
            while (again != null && held.header("Call-ID").equals(again.header("Call-ID"))) {
                again = dave.awaitRequest(Duration.ofSeconds(20)); // the dead router's retransmissions
            }
            assertNotNull(again, "the survivor did not take the fan-out over\n" + survivor.output());
            double takeoverSeconds = (System.nanoTime() - killedAt) / 1e9;
            assertEquals(imdnMessageId(held.text()), imdnMessageId(again.text()), "the same message again");
            assertEquals(ownerPort == routerA.sipPort ? routerB.sipPort : routerA.sipPort,
                    ((InetSocketAddress) again.from()).getPort(), "sent by the survivor");
            dave.answer(again, 200, "OK");
            ReceivedMessage carolsCopy = carolInbox.poll(20, TimeUnit.SECONDS);
            assertNotNull(carolsCopy, "carol, not reached before the kill, got nothing\n" + survivor.output());
            assertEquals("crew message", carolsCopy.text());
            assertTrue(survivor.awaitLine("taken over from router-", Duration.ofSeconds(5)), survivor.output());

            Thread.sleep(DETECTION.toMillis() + 6000); // the stream goes on through the survivor alone
            List<Stream.Outcome> outcomes = stream.stop();

            long lateEnough = killedAt + DETECTION.toNanos();
            List<Stream.Outcome> failed = outcomes.stream().filter(o -> o.status() != 200).toList();
            long afterDetection = outcomes.stream().filter(o -> o.sentAt() >= lateEnough).count();
            double worstDelay = outcomes.stream().filter(o -> o.sentAt() >= killedAt - 1_000_000_000L)
                    .mapToDouble(o -> (o.answeredAt() - o.sentAt()) / 1e9).max().orElse(0);
            System.out.printf("DispatcherFailoverIT: %d messages in the stream, %d not 200 %s; %d sent after the "
                            + "detection time; slowest answer around the kill %.1f s; fan-out taken over %.2f s after "
                            + "the kill%n", outcomes.size(), failed.size(), failed, afterDetection, worstDelay,
                    takeoverSeconds);
            assertTrue(afterDetection > 50, "the stream went on after the kill: " + afterDetection);
            assertEquals(List.of(), failed, "every message answered 200\n" + kamailioLog());

            // exactly one copy of the group message each: bob answered before the kill, carol got hers from the
            // survivor, and nothing more comes
            Thread.sleep(1000);
            assertEquals(1, count(bobInbox, "crew message"), "bob answered before the kill: no second copy");
            assertEquals(0, count(carolInbox, "crew message"), "carol: one copy only");
            RawUserAgent.Received more = dave.awaitRequest(Duration.ofMillis(500));
            assertTrue(more == null || more.header("Call-ID").equals(again.header("Call-ID")),
                    "dave: nothing after the survivor's copy he answered");
        }
    }

    private RouterProcess startRouter(String name, List<String> cluster) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("cpm.infinispan.config", "infinispan-cluster.xml");
        settings.put("cpm.cluster.node-name", name);
        settings.put("cpm.auth.nonce-secret", "dispatcher-failover-it-shared-secret");
        settings.put("cpm.sip.transaction-timeout-ms", Integer.toString(ROUTER_TRANSACTION_TIMEOUT_MS));
        settings.put("cpm.controlling.fanout-in-flight", "1");
        settings.put("cpm.controlling.fanout-journal-interval-ms", "50");
        settings.put("cpm.smsc.enabled", "false");
        // alice streams 20 messages a second, past the default per-sender limit (1/s, bursts of 30)
        settings.put("cpm.limits.sender-rate", "0");
        RouterProcess router = RouterProcess.start(tmp.resolve(name), RouterFixture.freePort(), settings, cluster);
        routers.add(router);
        return router;
    }

    private CpmClient client(String user) throws Exception {
        return CpmClient.start(ClientConfig.of(RouterFixture.uri(user), "127.0.0.1", kamailioPort)
                .withPassword(RouterFixture.password(user)));
    }

    private static BlockingQueue<ReceivedMessage> registered(CpmClient client) throws Exception {
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        client.onMessage(inbox::add);
        SendResult result = client.register(600).get(20, TimeUnit.SECONDS);
        assertEquals(200, result.status(), result.toString());
        return inbox;
    }

    /** alice → bob every {@value #STREAM_INTERVAL_MS} ms, each answer kept with when it was sent and answered. */
    private static final class Stream {

        record Outcome(int number, long sentAt, long answeredAt, int status) {
            @Override
            public String toString() {
                return "#" + number + ":" + status;
            }
        }

        private final CpmClient alice;
        private final List<CompletableFuture<Outcome>> sent = new ArrayList<>();
        private volatile boolean running = true;
        private final Thread thread = new Thread(this::run, "alice-stream");

        Stream(CpmClient alice) {
            this.alice = alice;
        }

        void start() {
            thread.start();
        }

        private void run() {
            for (int i = 0; running; i++) {
                int number = i;
                long sentAt = System.nanoTime();
                CompletableFuture<Outcome> outcome = alice.send(RouterFixture.uri("bob"), "stream " + i)
                        .handle((r, e) -> new Outcome(number, sentAt, System.nanoTime(), r == null ? -1 : r.status()));
                synchronized (sent) {
                    sent.add(outcome);
                }
                try {
                    Thread.sleep(STREAM_INTERVAL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        List<Outcome> stop() throws Exception {
            running = false;
            thread.join(5000);
            List<Outcome> outcomes = new ArrayList<>();
            synchronized (sent) {
                for (CompletableFuture<Outcome> f : sent) {
                    outcomes.add(f.get(40, TimeUnit.SECONDS));
                }
            }
            return outcomes;
        }
    }

    private static int count(BlockingQueue<ReceivedMessage> inbox, String text) {
        List<ReceivedMessage> all = new ArrayList<>();
        inbox.drainTo(all);
        return (int) all.stream().filter(m -> text.equals(m.text())).count();
    }

    private static String imdnMessageId(String request) {
        return request.lines().filter(l -> l.startsWith("imdn.Message-ID:")).findFirst()
                .orElseThrow(() -> new AssertionError("no imdn.Message-ID in " + request)).substring(16).trim();
    }

    private static int post(int adminPort, String path, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    private void startKamailio(int... routerPorts) throws IOException {
        kamailioPort = RouterFixture.freePort();
        StringBuilder list = new StringBuilder();
        for (int port : routerPorts) {
            list.append("1 sip:127.0.0.1:").append(port).append(" 0 0\n");
        }
        Path listFile = Files.writeString(tmp.resolve("dispatcher.list"), list.toString());
        kamailio = Kamailio.start("kamailio-dispatcher.cfg", tmp, kamailioPort,
                "DISPATCHER_LIST=\"" + listFile + "\"", "FAILOVER_TIMEOUT=" + FAILOVER_TIMEOUT_MS, "PROBE_INTERVAL=1",
                "PROBE_TIMEOUT=1000");
    }

    private String kamailioLog() {
        return Kamailio.log(tmp);
    }
}
