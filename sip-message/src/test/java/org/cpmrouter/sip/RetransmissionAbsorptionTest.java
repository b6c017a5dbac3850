package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A retransmitted request over UDP is answered from its transaction before it is parsed (RFC 3261 section 17.2.2):
 * again with the same final response once there is one, dropped while there is none; the handler sees the request
 * once. The node's traffic listener counts each such copy, which the stack's own absorption (after a parse) did not.
 */
class RetransmissionAbsorptionTest {

    @Test
    void should_drop_copies_while_unanswered_then_send_the_same_final_response_again_without_the_handler()
            throws Exception {
        AtomicInteger absorbed = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        BlockingQueue<IncomingRequest> held = new LinkedBlockingQueue<>();
        try (SipNode node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 1, null));
             UdpProbe probe = new UdpProbe()) {
            node.setTrafficListener(new SipTrafficListener() {
                @Override
                public void retransmissionAbsorbed() {
                    absorbed.incrementAndGet();
                }

                @Override
                public void requestReceived(String method) {
                    received.incrementAndGet();
                }
            });
            node.setHandler(held::add);
            int port = node.port();
            String message = probe.message("sip:bob@127.0.0.1", port, "", "x");

            probe.send(message, port);
            IncomingRequest in = held.poll(10, TimeUnit.SECONDS);
            assertNotNull(in, "the handler got the request");
            probe.setTimeout(300);
            probe.send(message, port);
            assertNull(probe.awaitFinal(), "no answer yet, so the copy gets none");
            awaitCount(absorbed, 1);

            in.respond(200, "OK", List.of());
            String first = probe.awaitFinal();
            assertEquals(200, UdpProbe.status(first), first);
            probe.setTimeout(5000);
            probe.send(message, port);
            String again = probe.awaitFinal();
            assertEquals(first, again, "the same response, To tag included");
            awaitCount(absorbed, 2);

            String another = probe.message("sip:bob@127.0.0.1", port, "", "x");
            probe.send(another.replace("CSeq: 1 MESSAGE", "CSeq: 2 MESSAGE"), port);
            assertNotNull(held.poll(10, TimeUnit.SECONDS), "a new request is not taken for a retransmission");
        }
        assertEquals(2, received.get(), "the handler's node counted two new requests, not the copies");
    }

    @Test
    void should_leave_a_cancel_that_shares_the_branch_of_a_request_to_the_stack() throws Exception {
        AtomicInteger absorbed = new AtomicInteger();
        try (SipNode node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 1, null));
             UdpProbe probe = new UdpProbe()) {
            node.setTrafficListener(new SipTrafficListener() {
                @Override
                public void retransmissionAbsorbed() {
                    absorbed.incrementAndGet();
                }
            });
            node.setHandler(in -> in.respond(200));
            int port = node.port();
            String message = probe.message("sip:bob@127.0.0.1", port, "", "x");
            assertEquals(200, UdpProbe.status(probe.exchange(message, port)));
            String cancel = message.replaceFirst("^MESSAGE", "CANCEL").replace("CSeq: 1 MESSAGE", "CSeq: 1 CANCEL");
            String answer = probe.exchange(cancel, port);
            assertEquals(481, UdpProbe.status(answer), "the CANCEL is the stack's: " + answer);
        }
        assertEquals(0, absorbed.get());
    }

    private static void awaitCount(AtomicInteger counter, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counter.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, counter.get());
    }
}
