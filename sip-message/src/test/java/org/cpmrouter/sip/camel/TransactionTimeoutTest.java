package org.cpmrouter.sip.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.Builder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The producer's transaction timeout over real sockets on 127.0.0.1: a next hop that reads and never answers gets
 * the exchange a locally made 408 once the endpoint's timeout is over (not after Timer F's 32 s); a next hop that
 * refuses the TCP connection gets a locally made 503 at once; an answer from the next hop is marked as such.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionTimeoutTest {

    @RegisterExtension
    static final SipCamelContextExtension SIP = new SipCamelContextExtension();

    private int answeringPort;

    @BeforeAll
    void start() throws Exception {
        answeringPort = SIP.consumer("answering", "transports=udp", route -> route
                .setHeader(SipMessageConstants.STATUS_CODE, Builder.constant(408))); // a 408 that the hop itself sends
    }

    @Test
    void should_default_to_timer_f_and_let_an_endpoint_set_its_own() throws Exception {
        CamelContext context = SIP.context();
        SipMessageComponent component = context.getComponent("sip-message", SipMessageComponent.class);
        assertEquals(32000, component.getTransactionTimeoutMs());
        SipMessageEndpoint own = context.getEndpoint("sip-message:127.0.0.1:9?transactionTimeoutMs=1500",
                SipMessageEndpoint.class);
        SipMessageEndpoint inherited = context.getEndpoint("sip-message:127.0.0.1:9", SipMessageEndpoint.class);
        assertEquals(1500, own.effectiveTransactionTimeoutMs());
        assertEquals(32000, inherited.effectiveTransactionTimeoutMs());
    }

    @Test
    void should_answer_408_locally_when_the_next_hop_reads_and_never_answers() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout(10_000);
            Exchange result = send("sip-message:127.0.0.1:" + silent.getLocalPort() + "?transactionTimeoutMs=1000",
                    silent.getLocalPort());
            DatagramPacket got = new DatagramPacket(new byte[8192], 8192);
            silent.receive(got); // it did arrive: the next hop is silent, not unreachable
            assertTrue(new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8).startsWith("MESSAGE "));
            assertEquals(408, result.getMessage().getHeader(SipMessageConstants.STATUS_CODE));
            assertEquals(Boolean.TRUE, result.getMessage().getHeader(SipMessageConstants.NO_ANSWER));
        }
    }

    @Test
    void should_answer_503_at_once_when_the_next_hop_refuses_the_connection() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        // a timeout far longer than the test may take: the answer must come from the refused connection
        Exchange result = send("sip-message:127.0.0.1:" + closed + "?transport=tcp&transactionTimeoutMs=31000", closed);
        assertEquals(503, result.getMessage().getHeader(SipMessageConstants.STATUS_CODE));
        assertEquals(Boolean.TRUE, result.getMessage().getHeader(SipMessageConstants.NO_ANSWER));
    }

    @Test
    void should_mark_a_408_that_the_next_hop_sent_as_an_answer() throws Exception {
        Exchange result = send("sip-message:127.0.0.1:" + answeringPort + "?transactionTimeoutMs=20000", answeringPort);
        assertEquals(408, result.getMessage().getHeader(SipMessageConstants.STATUS_CODE));
        assertEquals(Boolean.FALSE, result.getMessage().getHeader(SipMessageConstants.NO_ANSWER));
    }

    private Exchange send(String uri, int port) {
        Exchange result = SIP.request(uri, "sip:bob@127.0.0.1:" + port, "anyone there?");
        assertNotNull(result);
        return result;
    }
}
