package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The steps of {@link RequestSanityChecks} that the component tests do not reach: the drain refusal comes before
 * every other check, OPTIONS included, and keeps the handler from seeing anything.
 */
class RequestSanityChecksTest {

    @Test
    void should_answer_every_new_request_with_the_drain_refusal_when_the_node_refuses_new_requests() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        try (SipNode node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 1, null));
             UdpProbe probe = new UdpProbe()) {
            node.setHandler(in -> {
                handled.incrementAndGet();
                in.respond(202);
            });
            int port = node.port();
            assertEquals(202, UdpProbe.status(probe.exchange(probe.message("sip:bob@127.0.0.1", port, "", "x"), port)));

            node.refuseNewRequests(503, "Draining", List.of("Retry-After: 7"));
            String message = probe.exchange(probe.message("sip:bob@127.0.0.1", port, "", "x"), port);
            assertTrue(message.startsWith("SIP/2.0 503 Draining"), message);
            assertTrue(message.contains("Retry-After: 7"), message);
            String options = probe.exchange(probe.message("sip:127.0.0.1", port, "", "").replace("MESSAGE", "OPTIONS"),
                    port);
            assertEquals(503, UdpProbe.status(options), options);
            String badScheme = probe.exchange(probe.message("nobody:bob", port, "", "x"), port);
            assertEquals(503, UdpProbe.status(badScheme), "the drain answer comes before the 416: " + badScheme);
        }
        assertEquals(1, handled.get(), "only the request before the drain reaches the handler");
    }
}
