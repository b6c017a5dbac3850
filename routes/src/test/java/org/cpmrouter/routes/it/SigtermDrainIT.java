package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.sip.UdpProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a router in its own JVM while a MESSAGE waits for a slow recipient: from then on every new request,
 * OPTIONS included, gets {@code 503} with {@code Retry-After} (a pool's clients and load balancer go elsewhere at
 * once) and {@code /health/ready} answers 503 naming the drain; the MESSAGE in flight still gets the recipient's
 * final response; then the process exits 0.
 */
class SigtermDrainIT {

    @TempDir
    Path dataDir;

    @Test
    void should_refuse_new_requests_be_unready_finish_the_one_in_flight_and_exit_0_on_sigterm() throws Exception {
        int port = RouterFixture.freePort();
        try (RouterProcess router = RouterProcess.start(dataDir, port, Map.of("cpm.shutdown.drain-timeout-ms", "20000"));
             RawUserAgent slowBob = new RawUserAgent();
             CpmClient alice = CpmClient.start(ClientConfig.of(RouterFixture.uri("alice"), "127.0.0.1", port)
                     .withPassword(RouterFixture.password("alice")))) {
            assertEquals(200, slowBob.register("bob", port, 600));
            CompletableFuture<SendResult> inFlight = alice.send(RouterFixture.uri("bob"), "answer me after SIGTERM");
            RawUserAgent.Received atBob = slowBob.awaitRequest(Duration.ofSeconds(20));
            assertNotNull(atBob, "the MESSAGE reached bob, who has not answered yet");

            router.sigterm();
            boolean draining = router.awaitLine("draining: new requests are answered 503", Duration.ofSeconds(20));
            assertTrue(draining, "exit " + router.awaitExit(Duration.ofSeconds(1)) + "\n" + router.output());
            // a load balancer's probe sees it at once: not ready, draining named; still live
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + router.adminPort + "/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"name\":\"draining\",\"status\":\"DOWN\""), ready.body());
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + router.adminPort + "/health/live")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode(), live.body());
            try (UdpProbe probe = new UdpProbe()) {
                String options = probe.message("sip:127.0.0.1:" + port, port, "", "").replace("MESSAGE", "OPTIONS");
                String refused = probe.exchange(options, port);
                assertEquals(503, UdpProbe.status(refused), refused);
                assertTrue(refused.contains("Retry-After: 20"), refused);
            }
            SendResult late = alice.send(RouterFixture.uri("bob"), "too late").get(20, TimeUnit.SECONDS);
            assertEquals(503, late.status(), late.toString());

            slowBob.answer(atBob, 200, "OK");
            SendResult answered = inFlight.get(20, TimeUnit.SECONDS);
            assertEquals(200, answered.status(), answered + "\n" + router.output());
            assertEquals(0, router.awaitExit(Duration.ofSeconds(60)), router.output());
            assertTrue(router.output().contains("drained: nothing in flight"), router.output());
        }
    }
}
