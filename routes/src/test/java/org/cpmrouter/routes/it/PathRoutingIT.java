package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.OutgoingMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.sip.UdpProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client behind a proxy that asked to stay on its path (RFC 3327), as a P-CSCF does: the REGISTER arrives with
 * {@code Path: <sip:127.0.0.1:PROXY;lr>}; the router stores it with the binding and returns it in the 200 (with the
 * configured {@code Service-Route}, RFC 3608), and the next delivery to that client goes to the proxy first, with
 * the path as {@code Route} and the client's contact as Request-URI. Without a Path, delivery goes straight to the
 * contact as before, and a Route the sender put on its request is not followed.
 */
class PathRoutingIT {

    private static final String SERVICE_ROUTE = "<sip:orig@127.0.0.1:5999;lr>";

    @TempDir
    Path dataDir;

    @Test
    void should_route_the_delivery_through_the_registered_path_with_a_route_header() throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir, RouterFixture.freePort(),
                Map.of("cpm.registrar.service-route", SERVICE_ROUTE));
             RawUserAgent proxy = new RawUserAgent();
             RawUserAgent bob = new RawUserAgent()) {
            String path = "<sip:127.0.0.1:" + proxy.port() + ";lr>";
            String ok = bob.registerWith("bob", router.port, 600, "Path: " + path + "\r\nSupported: path\r\n");
            assertNotNull(ok, "no answer to the REGISTER");
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);
            assertEquals(List.of(path), UdpProbe.headerValues(ok, "Path"), ok);
            assertEquals(List.of(SERVICE_ROUTE), UdpProbe.headerValues(ok, "Service-Route"), ok);

            CompletableFuture<SendResult> sent = router.client("alice").send(RouterFixture.uri("bob"), "via the edge");
            RawUserAgent.Received atProxy = proxy.awaitRequest(Duration.ofSeconds(20));

            assertNotNull(atProxy, "the delivery did not reach the proxy on bob's path");
            assertTrue(atProxy.text().startsWith("MESSAGE sip:bob@127.0.0.1:" + bob.port() + " "), atProxy.text());
            assertEquals(path, atProxy.header("Route"), atProxy.text());
            proxy.answer(atProxy, 200, "OK");
            assertEquals(200, sent.get(20, TimeUnit.SECONDS).status());
            assertEquals(null, bob.awaitRequest(Duration.ofMillis(300)), "the router bypassed the proxy");
        }
    }

    @Test
    void should_deliver_straight_to_the_contact_without_a_path_and_ignore_the_senders_route() throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir);
             RawUserAgent elsewhere = new RawUserAgent();
             RawUserAgent bob = new RawUserAgent()) {
            String ok = bob.registerWith("bob", router.port, 600, "");
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);
            assertEquals(List.of(), UdpProbe.headerValues(ok, "Path"), ok);
            assertEquals(List.of(), UdpProbe.headerValues(ok, "Service-Route"), "no Path, no Service-Route: " + ok);

            CompletableFuture<SendResult> sent = router.client("alice").send(new OutgoingMessage(
                    RouterFixture.uri("bob"), "direct", null, null,
                    Map.of("Route", "<sip:127.0.0.1:" + elsewhere.port() + ";lr>")));
            RawUserAgent.Received atBob = bob.awaitRequest(Duration.ofSeconds(20));

            assertNotNull(atBob, "bob's client got nothing");
            assertEquals(null, atBob.header("Route"), atBob.text());
            bob.answer(atBob, 200, "OK");
            assertEquals(200, sent.get(20, TimeUnit.SECONDS).status());
            assertEquals(null, elsewhere.awaitRequest(Duration.ofMillis(300)), "the sender's Route was followed");
        }
    }

    @Test
    void should_refuse_a_path_that_is_not_a_sip_uri_with_400() throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir);
             RawUserAgent bob = new RawUserAgent()) {
            String refused = bob.registerWith("bob", router.port, 600, "Path: mailto:edge@example.net\r\n");

            assertNotNull(refused);
            assertTrue(refused.startsWith("SIP/2.0 400 Bad Path"), refused);
        }
    }
}
