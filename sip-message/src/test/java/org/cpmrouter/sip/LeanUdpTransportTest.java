package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lean UDP path's transactions (RFC 3261 §17.1.2, §17.2.2, RFC 3581) over real sockets on 127.0.0.1: a node
 * with {@link SipNodeConfig.UdpPath#LEAN} against {@link UdpProbe}s that play client and next hop.
 */
class LeanUdpTransportTest {

    private SipNode node;
    private UdpProbe client;
    private final BlockingQueue<IncomingRequest> handled = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 2, null)
                .withUdpPath(SipNodeConfig.UdpPath.LEAN));
        node.setHandler(handled::add);
        client = new UdpProbe();
        client.setTimeout(3000);
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    @Test
    void should_absorb_a_retransmission_while_handled_and_answer_later_ones_with_the_same_final_response()
            throws Exception {
        String request = client.message("sip:bob@127.0.0.1", node.port(), "", "hello");
        client.send(request, node.port());
        IncomingRequest in = handled.poll(3, TimeUnit.SECONDS);
        assertNotNull(in, "the handler got the request");
        client.send(request, node.port()); // retransmitted while the handler still holds it
        assertNull(handled.poll(300, TimeUnit.MILLISECONDS), "a retransmission is not a new request");

        in.respond(202);
        byte[] first = client.awaitFinalBytes();
        assertEquals(202, UdpProbe.status(new String(first, StandardCharsets.UTF_8)));
        client.send(request, node.port()); // retransmitted after the answer: Timer J keeps the answer
        assertArrayEquals(first, client.awaitFinalBytes(), "the same final response, byte for byte");
        assertNull(handled.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void should_answer_at_the_source_port_and_mark_the_via_when_it_asks_for_rport() throws Exception {
        // the Via names another address and port; rport asks for the answer where the datagram came from
        String request = client.message("sip:bob@127.0.0.1", node.port(), "", "hi")
                .replace("Via: SIP/2.0/UDP 127.0.0.1:" + client.port(), "Via: SIP/2.0/UDP 192.0.2.7:5999")
                .replaceFirst("(branch=[^\\n]*)", "$1;rport");
        client.send(request, node.port());
        IncomingRequest in = handled.poll(3, TimeUnit.SECONDS);
        assertNotNull(in);
        String via = SipNode.headerValues(in.request(), "Via").get(0);
        assertTrue(via.contains("received=127.0.0.1"), via);
        assertTrue(via.contains("rport=" + client.port()), via);
        assertEquals(client.port(), in.remotePort());
        in.respond(200);
        assertEquals(200, UdpProbe.status(client.awaitFinal()));
    }

    @Test
    void should_drop_keep_alives_and_stray_responses_and_keep_serving() throws Exception {
        client.sendRaw("\r\n\r\n".getBytes(StandardCharsets.US_ASCII), node.port());
        client.send("SIP/2.0 200 OK\nVia: SIP/2.0/UDP 127.0.0.1:" + node.port() + ";branch=z9hG4bK-none\n"
                + "From: <sip:a@x>;tag=1\nTo: <sip:b@x>;tag=2\nCall-ID: stray@x\nCSeq: 1 MESSAGE\n"
                + "Content-Length: 0\n\n", node.port());
        client.send(client.message("sip:bob@127.0.0.1", node.port(), "", "after"), node.port());
        IncomingRequest in = handled.poll(3, TimeUnit.SECONDS);
        assertNotNull(in, "served after a keep-alive and a stray response");
        assertTrue(new String(in.request().getRawContent(), StandardCharsets.UTF_8).contains("after"));
        in.respond(200);
    }

    @Test
    void should_answer_a_malformed_request_400_through_the_same_checks_as_the_stack() throws Exception {
        // Max-Forwards twice (RFC 4475 §3.3.9): the screening parser's 400, answered through a transaction
        String bad = client.message("sip:bob@127.0.0.1", node.port(), "Max-Forwards: 69\n", "x");
        assertEquals(400, UdpProbe.status(client.exchange(bad, node.port())));
        assertNull(handled.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void should_retransmit_a_sent_request_at_timer_e_and_complete_with_its_final_response() throws Exception {
        try (UdpProbe nextHop = new UdpProbe()) {
            nextHop.setTimeout(3000);
            CompletableFuture<Response> result = node.send(message(node, nextHop.port()),
                    SipNode.hop("127.0.0.1", nextHop.port(), "udp"));
            String first = nextHop.awaitRequest("MESSAGE sip:bob");
            assertNotNull(first);
            long sent = System.nanoTime();
            String again = nextHop.awaitRequest("MESSAGE sip:bob"); // not answered: Timer E, T1 = 500 ms
            assertEquals(first, again, "the same request, retransmitted");
            long waitedMs = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(waitedMs >= 350 && waitedMs < 2500, "retransmitted after " + waitedMs + " ms");
            nextHop.respond(first, 180, "Ringing", node.port());
            assertFalse(result.isDone(), "a provisional response does not end the transaction");
            nextHop.respond(first, 200, "OK", node.port());
            Response response = result.get(3, TimeUnit.SECONDS);
            assertEquals(200, response.getStatusCode());
            assertFalse(SipNode.isLocallyMade(response));
        }
    }

    @Test
    void should_answer_408_locally_at_an_early_deadline_and_stop_retransmitting() throws Exception {
        try (UdpProbe nextHop = new UdpProbe()) {
            nextHop.setTimeout(1500);
            CompletableFuture<Response> result = node.send(message(node, nextHop.port()),
                    SipNode.hop("127.0.0.1", nextHop.port(), "udp"), 300);
            Response response = result.get(3, TimeUnit.SECONDS);
            assertEquals(408, response.getStatusCode());
            assertTrue(SipNode.isLocallyMade(response));
            assertNotNull(nextHop.awaitRequest("MESSAGE sip:bob")); // the one sent
            // Timer E would have sent it again at 500 ms and 1.5 s: the ended transaction sends nothing more
            assertNull(nextHop.awaitRequest("MESSAGE sip:bob"));
        }
    }

    @Test
    void should_handle_an_answer_before_the_requests_that_came_ahead_of_it() throws Exception {
        // one handler thread, held by the first request: what comes meanwhile waits in the transport's queues
        node.close();
        node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 1, null)
                .withUdpPath(SipNodeConfig.UdpPath.LEAN));
        Queue<String> order = new ConcurrentLinkedQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        node.setHandler(in -> {
            String body = new String(in.request().getRawContent(), StandardCharsets.UTF_8);
            order.add(body);
            if (body.equals("first")) {
                awaitQuietly(release);
            }
            handled.add(in);
        });
        try (UdpProbe nextHop = new UdpProbe()) {
            nextHop.setTimeout(3000);
            CompletableFuture<Response> result = node.send(message(node, nextHop.port()),
                    SipNode.hop("127.0.0.1", nextHop.port(), "udp"));
            result.whenComplete((response, failure) -> order.add("answer"));
            String relayed = nextHop.awaitRequest("MESSAGE sip:bob");
            assertNotNull(relayed);
            client.send(client.message("sip:bob@127.0.0.1", node.port(), "", "first"), node.port());
            waitFor(order, "first"); // the only handler thread now holds it
            for (String body : List.of("second", "third")) {
                client.send(client.message("sip:bob@127.0.0.1", node.port(), "", body), node.port());
            }
            Thread.sleep(200); // the two requests are read (and queued) before the answer is sent
            nextHop.respond(relayed, 200, "OK", node.port());
            Thread.sleep(200);
            release.countDown();
            assertEquals(200, result.get(3, TimeUnit.SECONDS).getStatusCode());
            for (int i = 0; i < 3; i++) {
                assertNotNull(handled.poll(3, TimeUnit.SECONDS), "request " + i + " handled");
            }
            assertEquals(List.of("first", "answer", "second", "third"), List.copyOf(order),
                    "the answer goes before the requests that waited, and they keep their order");
        }
    }

    @Test
    void should_drop_a_request_that_waited_past_the_queue_timeout_and_take_its_retransmission() throws Exception {
        node.close();
        Properties stack = new Properties();
        stack.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "200");
        node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 1, stack)
                .withUdpPath(SipNodeConfig.UdpPath.LEAN));
        Queue<String> drops = new ConcurrentLinkedQueue<>();
        node.setTrafficListener(new SipTrafficListener() {
            @Override
            public void datagramDropped(boolean request, Drop reason) {
                drops.add((request ? "request " : "response ") + reason);
            }
        });
        CountDownLatch release = new CountDownLatch(1);
        node.setHandler(in -> {
            if (new String(in.request().getRawContent(), StandardCharsets.UTF_8).equals("first")) {
                awaitQuietly(release);
            }
            handled.add(in);
        });
        client.send(client.message("sip:bob@127.0.0.1", node.port(), "", "first"), node.port());
        Thread.sleep(100); // the only handler thread holds "first"
        String late = client.message("sip:bob@127.0.0.1", node.port(), "", "late");
        client.send(late, node.port());
        Thread.sleep(500); // "late" waits in the queue past its 200 ms
        release.countDown();
        assertNotNull(handled.poll(3, TimeUnit.SECONDS), "first");
        assertNull(handled.poll(300, TimeUnit.MILLISECONDS), "the request that waited too long was dropped unread");
        assertEquals(List.of("request QUEUE_TIMEOUT"), List.copyOf(drops), "the node's listener heard of the drop");

        client.send(late, node.port()); // its sender's retransmission is then a new request
        IncomingRequest in = handled.poll(3, TimeUnit.SECONDS);
        assertNotNull(in, "the retransmission was handled");
        assertEquals("late", new String(in.request().getRawContent(), StandardCharsets.UTF_8));
        in.respond(200);
        assertEquals(200, UdpProbe.status(client.awaitFinal()));
    }

    private static void waitFor(Queue<String> order, String entry) throws InterruptedException {
        for (int i = 0; i < 300 && !order.contains(entry); i++) {
            Thread.sleep(10);
        }
        assertTrue(order.contains(entry), entry + " handled");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Request message(SipNode from, int toPort) throws Exception {
        AddressFactory af = from.addressFactory();
        HeaderFactory hf = from.headerFactory();
        String target = "sip:bob@127.0.0.1:" + toPort;
        return from.messageFactory().createRequest(af.createURI(target), Request.MESSAGE,
                hf.createCallIdHeader(from.newCallId()), hf.createCSeqHeader(1L, Request.MESSAGE),
                hf.createFromHeader(af.createAddress("sip:alice@127.0.0.1"), from.newTag()),
                hf.createToHeader(af.createAddress(target), null), List.of(from.newVia("udp")),
                from.newMaxForwards(70));
    }
}
