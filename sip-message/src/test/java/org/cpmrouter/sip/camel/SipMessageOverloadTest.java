package org.cpmrouter.sip.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.AsyncProcessorSupport;
import org.cpmrouter.sip.UdpProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Overload control over real UDP: with at most one request in flight, a request that arrives while the route
 * holds another is refused 503 with Retry-After before the route sees it; a retransmission of the held request is
 * not refused; service resumes once the held request is answered. The route holds requests without blocking a
 * thread, and the stack runs one thread, so datagrams are handled in the order they were sent: no timing involved.
 */
class SipMessageOverloadTest {

    private CamelContext context;
    private int port;
    /** Requests the route holds: their exchange and the callback that lets them complete. */
    private final BlockingQueue<Held> held = new LinkedBlockingQueue<>();

    private record Held(Exchange exchange, AsyncCallback callback) {
        void answer(int status) {
            exchange.getMessage().setHeader(SipMessageConstants.STATUS_CODE, status);
            callback.done(false);
        }
    }

    /** What carries UDP for the consumer under test (the subclass for the lean path overrides it). */
    String udpPath() {
        return "jain-sip";
    }

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        SipMessageComponent component = context.getComponent("sip-message", SipMessageComponent.class);
        component.setUdpPath(udpPath());
        component.setMaxInFlight(1);
        component.setRetryAfterSeconds(7);
        component.setThreadPoolSize(1);
        AsyncProcessor hold = new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                held.add(new Held(exchange, callback));
                return false;
            }
        };
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("sip-message:127.0.0.1:0?transports=udp,tcp").routeId("held").process(hold);
            }
        });
        context.start();
        port = ((SipMessageConsumer) context.getRoute("held").getConsumer()).node().port();
    }

    @AfterEach
    void stop() {
        Held h;
        while ((h = held.poll()) != null) {
            h.answer(500);
        }
        context.stop();
    }

    @Test
    void should_refuse_503_with_retry_after_when_the_limit_is_reached_and_serve_again_after() throws Exception {
        try (UdpProbe alice = new UdpProbe(); UdpProbe carol = new UdpProbe()) {
            alice.send(alice.message("sip:bob@127.0.0.1", port, "", "first"), port);
            Held first = held.poll(10, TimeUnit.SECONDS);
            assertNotNull(first, "the route never got the first request");

            String refused = carol.exchange(carol.message("sip:bob@127.0.0.1", port, "", "second"), port);
            assertEquals(503, UdpProbe.status(refused), refused);
            assertTrue(refused.contains("Retry-After: 7"), refused);
            assertTrue(held.isEmpty(), "a refused request must not reach the route");

            first.answer(200);
            assertEquals(200, UdpProbe.status(alice.awaitFinal()));

            carol.send(carol.message("sip:bob@127.0.0.1", port, "", "third"), port);
            Held third = held.poll(10, TimeUnit.SECONDS);
            assertNotNull(third, "service did not resume after the held request was answered");
            third.answer(200);
            assertEquals(200, UdpProbe.status(carol.awaitFinal()));
        }
    }

    @Test
    void should_refuse_a_request_over_tcp_too_when_the_limit_is_reached() throws Exception {
        try (UdpProbe alice = new UdpProbe(); java.net.Socket tcp = new java.net.Socket("127.0.0.1", port)) {
            alice.send(alice.message("sip:bob@127.0.0.1", port, "", "first"), port);
            Held first = held.poll(10, TimeUnit.SECONDS);
            assertNotNull(first, "the route never got the first request");

            // over TCP the refusal comes after parsing, from the node's listener
            String request = alice.message("sip:bob@127.0.0.1", port, "", "over tcp")
                    .replace("SIP/2.0/UDP 127.0.0.1:" + alice.port(), "SIP/2.0/TCP 127.0.0.1:" + tcp.getLocalPort())
                    .replace("\n", "\r\n");
            tcp.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            tcp.setSoTimeout(5000);
            String refused = readResponseHead(tcp.getInputStream());
            assertEquals(503, UdpProbe.status(refused), refused);
            assertTrue(refused.contains("Retry-After: 7"), refused);
            assertTrue(held.isEmpty(), "a refused request must not reach the route");
            first.answer(200);
            assertEquals(200, UdpProbe.status(alice.awaitFinal()));
        }
    }

    private static String readResponseHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void should_not_refuse_a_retransmission_of_the_request_in_flight() throws Exception {
        try (UdpProbe alice = new UdpProbe(); UdpProbe carol = new UdpProbe()) {
            String request = alice.message("sip:bob@127.0.0.1", port, "", "first");
            alice.send(request, port);
            Held first = held.poll(10, TimeUnit.SECONDS);
            assertNotNull(first, "the route never got the first request");

            alice.send(request, port); // the same datagram again: a retransmission, absorbed by its transaction
            // one stack thread: by the time carol's refusal comes back, the retransmission has been handled
            assertEquals(503, UdpProbe.status(carol.exchange(carol.message("sip:bob@127.0.0.1", port, "", "x"), port)));

            first.answer(200);
            String answer = alice.awaitFinal();
            assertEquals(200, UdpProbe.status(answer), "the retransmission was refused: " + answer);
            assertTrue(held.isEmpty(), "the retransmission reached the route as a new request");
        }
    }
}
