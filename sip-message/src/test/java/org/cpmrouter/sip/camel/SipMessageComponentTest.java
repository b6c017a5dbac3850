package org.cpmrouter.sip.camel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.Builder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.UdpProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The component over real UDP on 127.0.0.1: consumer answers, protocol guards, asynchronous producer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipMessageComponentTest {

    @RegisterExtension
    static final SipCamelContextExtension SIP = new SipCamelContextExtension();

    private int serverPort;
    private int relayPort;
    private final BlockingQueue<Exchange> received = new ArrayBlockingQueue<>(16);

    @BeforeEach
    void clear() {
        received.clear();
    }

    @BeforeAll
    void start() throws Exception {
        serverPort = SIP.consumer("server", "transports=udp", route -> route
                .process(e -> {
                    received.add(e.copy());
                    String body = e.getMessage().getBody(String.class);
                    if (body.contains("refuse")) {
                        throw new SipResponseException(403, "Refused By Test");
                    }
                    if (body.contains("unsupported")) {
                        throw new SipResponseException(415, "Unsupported Media Type",
                                List.of("Accept: message/cpim, text/plain", "Accept-Encoding: identity"));
                    }
                    if (body.contains("unacceptable")) {
                        throw new SipResponseException(488, "Not Acceptable Here", List.of("Accept: text/plain"));
                    }
                    if (body.contains("explode")) {
                        throw new IllegalStateException("boom");
                    }
                    e.getMessage().setHeader(SipMessageConstants.STATUS_CODE, 202);
                }));
        // a relay: what it receives it sends on to the server and answers with the server's response
        relayPort = SIP.consumer("relay", "transports=udp&methods=MESSAGE", route -> route
                .setHeader(SipMessageConstants.REQUEST_URI, Builder.constant("sip:bob@127.0.0.1:" + serverPort))
                .to("sip-message:127.0.0.1:" + serverPort + "?localAddress=127.0.0.1:0"));
        DefaultHeaderFilterStrategy dropSecret = new SipMessageHeaderFilterStrategy();
        dropSecret.setOutFilter(java.util.Set.of("Via", "Content-Length", "Record-Route", "X-Secret"));
        SIP.context().getRegistry().bind("dropSecret", dropSecret);
    }

    @Test
    void should_answer_with_route_status_and_map_headers_when_message_arrives() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String response = probe.exchange(probe.message("sip:bob@127.0.0.1:" + serverPort, serverPort,
                    "Conversation-ID: conv-1\n", "hello"), serverPort);
            assertEquals(202, UdpProbe.status(response), response);
            Exchange e = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(e);
            assertEquals("conv-1", e.getMessage().getHeader("conversation-id"));
            assertEquals("MESSAGE", e.getMessage().getHeader(SipMessageConstants.METHOD));
            assertEquals("sip:bob@127.0.0.1:" + serverPort, e.getMessage().getHeader(SipMessageConstants.REQUEST_URI));
            assertEquals("127.0.0.1", e.getMessage().getHeader(SipMessageConstants.REMOTE_ADDRESS));
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), e.getMessage().getBody(byte[].class));
        }
    }

    @Test
    void should_answer_refusal_status_when_route_throws_sip_response_exception() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String response = probe.exchange(probe.message("sip:bob@127.0.0.1", serverPort, "", "refuse"), serverPort);
            assertEquals(403, UdpProbe.status(response), response);
            assertTrue(response.startsWith("SIP/2.0 403 Refused By Test"), response);
        }
    }

    @Test
    void should_answer_500_when_route_fails_otherwise() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String response = probe.exchange(probe.message("sip:bob@127.0.0.1", serverPort, "", "explode"), serverPort);
            assertEquals(500, UdpProbe.status(response), response);
        }
    }

    @Test
    void should_answer_options_405_and_483_without_the_route() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String options = probe.message("sip:127.0.0.1", serverPort, "", "").replace("MESSAGE", "OPTIONS");
            String response = probe.exchange(options, serverPort);
            assertEquals(200, UdpProbe.status(response), response);
            assertTrue(response.contains("Allow:") && response.contains("MESSAGE"), response);

            String invite = probe.message("sip:bob@127.0.0.1", serverPort, "", "").replace("MESSAGE", "SUBSCRIBE");
            assertEquals(405, UdpProbe.status(probe.exchange(invite, serverPort)));

            String noHops = probe.message("sip:bob@127.0.0.1", serverPort, "", "x")
                    .replace("Max-Forwards: 70", "Max-Forwards: 0");
            assertEquals(483, UdpProbe.status(probe.exchange(noHops, serverPort)));
        }
        assertTrue(received.isEmpty(), "none of these may reach the route");
    }

    @Test
    void should_answer_416_to_an_unknown_uri_scheme_and_keep_serving() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String nobody = probe.message("nobody:bob", serverPort, "", "x")
                    .replaceFirst("MESSAGE nobody:bob", "OPTIONS nobody:bob").replace("CSeq: 1 MESSAGE", "CSeq: 1 OPTIONS");
            assertEquals(416, UdpProbe.status(probe.exchange(nobody, serverPort)));
            String good = probe.message("sip:bob@127.0.0.1", serverPort, "", "x");
            assertEquals(202, UdpProbe.status(probe.exchange(good, serverPort)));
        }
    }

    @Test
    void should_answer_400_to_malformed_request_and_keep_serving() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String bad = probe.message("sip:bob@127.0.0.1", serverPort, "", "x")
                    .replace("CSeq: 1 MESSAGE", "CSeq: 2147483648 MESSAGE");
            assertEquals(400, UdpProbe.status(probe.exchange(bad, serverPort)));
            // a CSeq that does not parse leaves nothing to answer with: dropped, and the next one is served
            probe.send(bad.replace("CSeq: 2147483648 MESSAGE", "CSeq: one MESSAGE"), serverPort);
            String good = probe.message("sip:bob@127.0.0.1", serverPort, "", "x");
            String answer = probe.exchange(good, serverPort);
            assertEquals(202, UdpProbe.status(answer), answer);
        }
    }

    @Test
    void should_relay_final_response_when_producer_sends_on() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String response = probe.exchange(probe.message("sip:bob@127.0.0.1:" + relayPort, relayPort,
                    "Contribution-ID: c-9\n", "relayed"), relayPort);
            assertEquals(202, UdpProbe.status(response), response);
            Exchange atServer = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(atServer);
            assertEquals("c-9", atServer.getMessage().getHeader("Contribution-ID"));
            assertEquals("69", atServer.getMessage().getHeader("Max-Forwards"));
            assertEquals("relayed", atServer.getMessage().getBody(String.class));
        }
    }

    @Test
    void should_relay_the_recipients_accept_headers_when_it_answers_415() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String response = probe.exchange(probe.message("sip:bob@127.0.0.1:" + relayPort, relayPort,
                    "Accept: application/sender-only\n", "unsupported"), relayPort);
            assertEquals(415, UdpProbe.status(response), response);
            assertEquals(List.of("message/cpim", "text/plain"), UdpProbe.headerValues(response, "Accept"), response);
            assertEquals(List.of("identity"), UdpProbe.headerValues(response, "Accept-Encoding"), response);
        }
    }

    @Test
    void should_relay_the_recipients_accept_header_when_it_answers_488() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String response = probe.exchange(probe.message("sip:bob@127.0.0.1:" + relayPort, relayPort, "",
                    "unacceptable"), relayPort);
            assertEquals(488, UdpProbe.status(response), response);
            assertEquals(List.of("text/plain"), UdpProbe.headerValues(response, "Accept"), response);
        }
    }

    @Test
    void should_not_answer_with_accept_when_the_relayed_status_is_not_a_media_refusal() throws Exception {
        try (UdpProbe probe = new UdpProbe()) {
            String response = probe.exchange(probe.message("sip:bob@127.0.0.1:" + relayPort, relayPort,
                    "Accept: application/sender-only\n", "refuse"), relayPort);
            assertEquals(403, UdpProbe.status(response), response);
            assertEquals(List.of(), UdpProbe.headerValues(response, "Accept"), response);
        }
    }

    @Test
    void should_keep_the_routes_own_accept_over_the_next_hops_when_both_are_there() {
        List<String> lines = SipMessageConsumer.withRefusalLines(List.of("accept: message/cpim"), 415,
                List.of("Accept: text/plain", "Accept-Encoding: identity", "Server: Phone/1"));
        assertEquals(List.of("accept: message/cpim", "Accept-Encoding: identity", "Server: Phone/1"), lines);
    }

    @Test
    void should_name_the_router_in_server_on_its_own_refusals_and_the_next_hop_on_relayed_ones() {
        assertEquals(List.of("Server: CPM-Router"), SipMessageConsumer.withRefusalLines(List.of(), 404, null));
        assertEquals(List.of(), SipMessageConsumer.withRefusalLines(List.of(), 404, List.of()),
                "a relayed refusal without Server must not be claimed by the router");
        assertEquals(List.of("Server: Phone/1"), SipMessageConsumer.withRefusalLines(List.of(), 480,
                List.of("Accept: text/plain", "Server: Phone/1")), "Accept only on 415 and 488");
    }

    @Test
    void should_bind_only_the_consumer_transports_when_a_producer_sends_from_the_same_address() throws Exception {
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        int bound = port;
        try (SipCamelContextExtension other = SipCamelContextExtension.started()) {
            other.routes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:out").to("sip-message:request-uri?localAddress=127.0.0.1:" + bound);
                    from("sip-message:127.0.0.1:" + bound + "?transports=udp")
                            .setHeader(SipMessageConstants.STATUS_CODE, constant(200));
                }
            });
            assertThrows(java.net.ConnectException.class,
                    () -> new java.net.Socket("127.0.0.1", bound).close(), "TCP must not listen: transports=udp");
            try (UdpProbe probe = new UdpProbe()) {
                assertEquals(200, UdpProbe.status(probe.exchange(probe.message("sip:x@127.0.0.1", bound, "", "x"), bound)));
            }
        }
    }

    @Test
    void should_complete_exchange_with_status_when_producer_is_called_from_a_route() throws Exception {
        Exchange result = SIP.request("sip-message:127.0.0.1:" + serverPort, "sip:bob@127.0.0.1:" + serverPort,
                "from a template", m -> m.setHeader("CamelInternal", "never on the wire"));
        assertEquals(202, result.getMessage().getHeader(SipMessageConstants.STATUS_CODE));
        Exchange atServer = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(atServer);
        assertEquals(null, atServer.getMessage().getHeader("CamelInternal"));
        assertTrue(atServer.getMessage().getHeader("Call-ID", String.class).length() > 8);
    }

    @Test
    void should_send_to_the_request_uri_parsed_once_for_hop_and_request() throws Exception {
        String target = "sip:bob@127.0.0.1:" + serverPort + ";transport=udp";
        Exchange result = SIP.request("sip-message:request-uri", target, "to the request-uri");
        assertEquals(202, result.getMessage().getHeader(SipMessageConstants.STATUS_CODE));
        Exchange atServer = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(atServer);
        assertEquals(target, atServer.getMessage().getHeader(SipMessageConstants.REQUEST_URI));

        Exchange refused = SIP.request("sip-message:request-uri", "tel:+15551230002", null);
        assertInstanceOf(IllegalArgumentException.class, refused.getException());
        assertEquals("cannot send to a non-SIP Request-URI: tel:+15551230002", refused.getException().getMessage());
    }

    @Test
    void should_keep_a_header_off_the_wire_when_the_endpoint_names_a_filter_strategy() throws Exception {
        Exchange result = SIP.request("sip-message:127.0.0.1:" + serverPort + "?headerFilterStrategy=#dropSecret",
                "sip:bob@127.0.0.1:" + serverPort, "filtered", m -> {
                    m.setHeader("X-Secret", "internal only");
                    m.setHeader("X-Public", "for the peer");
                });
        assertEquals(202, result.getMessage().getHeader(SipMessageConstants.STATUS_CODE));
        Exchange atServer = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(atServer);
        assertEquals(null, atServer.getMessage().getHeader("X-Secret"));
        assertEquals("for the peer", atServer.getMessage().getHeader("X-Public"));

        SIP.request("sip-message:127.0.0.1:" + serverPort, "sip:bob@127.0.0.1:" + serverPort, "default",
                m -> m.setHeader("X-Secret", "crosses by default"));
        Exchange unfiltered = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(unfiltered);
        assertEquals("crosses by default", unfiltered.getMessage().getHeader("X-Secret"));
    }
}
