package org.cpmrouter.sip.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;
import java.util.function.Consumer;

import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;

import gov.nist.javax.sip.message.SIPRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.cpmrouter.sip.ReceivedRequests;
import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.SipNodeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The binding without sockets: a request built from a received one with its parsed headers copied
 * ({@link SipMessageConstants#RECEIVED_HEADERS}) is byte for byte the request built by parsing every header's text,
 * whatever the route changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipMessageBindingTest {

    private static final String TARGET = "sip:+15551230002@127.0.0.1:5090";

    private SipNode node;
    private CamelContext context;

    @BeforeAll
    void start() throws Exception {
        node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 2, null));
        context = new DefaultCamelContext();
    }

    @AfterAll
    void stop() throws Exception {
        context.close();
        node.close();
    }

    private String cpmMessage() {
        return RelayPathBench.datagramText(node.port());
    }

    /** Unusual but valid forms: compact names, lists on one line and on several, routes to this node and another. */
    private String oddMessage() {
        String body = "hello";
        return "MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "v: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-odd1\r\n"
                + "Max-Forwards: 12\r\n"
                + "Route: <sip:127.0.0.1:" + node.port() + ";lr>, <sip:proxy.example.com;lr>\r\n"
                + "Route: <sip:other.example.com:5070;lr;transport=tcp>\r\n"
                + "f: \"Alice \\\"A\\\" Smith\" <sip:alice@example.com>;tag=a1\r\n"
                + "t: sip:bob@example.com\r\n"
                + "i: odd-call-1@example.com\r\n"
                + "CSeq: 7 MESSAGE\r\n"
                + "P-Asserted-Identity: <sip:alice@example.com>, <tel:+15551230001>\r\n"
                + "Accept-Contact: *;+g.oma.sip-im, *;+g.3gpp.smsip;require;explicit\r\n"
                + "Supported: timer\r\n"
                + "Supported: 100rel\r\n"
                + "X-Odd:    spaced   value  \r\n"
                + "P-Served-User: <sip:alice@example.com>;sescase=orig;regstate=reg\r\n"
                + "c: text/plain;charset=UTF-8\r\n"
                + "l: " + body.length() + "\r\n"
                + "\r\n" + body;
    }

    private Message received(String datagram) throws Exception {
        Request request = ReceivedRequests.parse(datagram.getBytes(StandardCharsets.UTF_8));
        Message message = new DefaultExchange(context).getMessage();
        SipMessageBinding.toCamel(ReceivedRequests.incoming(node, request, 5099), message);
        return message;
    }

    /** The request's text with the Via's branch and the From tag this node made left out (random either way). */
    private static String wire(Request request) {
        String text = new String(((SIPRequest) request).encodeAsBytes("udp"), StandardCharsets.UTF_8);
        return text.replaceAll(";branch=[^;\\r\\n]*", "");
    }

    /** Sends the message as it is, and as it is without the received headers (every header parsed from text). */
    private void assertSameWire(Message message) throws Exception {
        assertInstanceOf(ReceivedHeaders.class, message.getHeader(SipMessageConstants.RECEIVED_HEADERS));
        Message parsedOnly = message.copy();
        parsedOnly.removeHeader(SipMessageConstants.RECEIVED_HEADERS);
        assertEquals(wire(SipMessageBinding.toRequest(parsedOnly, node, "udp")),
                wire(SipMessageBinding.toRequest(message, node, "udp")));
    }

    private void assertSameWire(String datagram, Consumer<Message> routeEdits) throws Exception {
        Message message = received(datagram);
        routeEdits.accept(message);
        assertSameWire(message);
    }

    @Test
    void unchangedRequestIsTheSameOnTheWire() throws Exception {
        assertSameWire(cpmMessage(), m -> { });
        assertSameWire(oddMessage(), m -> { });
    }

    @Test
    void routeEditsAreTheSameOnTheWire() throws Exception {
        Consumer<Message> relay = m -> {
            m.setHeader("P-Asserted-Identity", "<sip:+15551230001@ims.example.com>");
            m.setHeader("P-CPM-Served-Leg", "orig");
            m.removeHeader("P-Preferred-Identity");
            m.setHeader(SipMessageConstants.REQUEST_URI, TARGET);
        };
        assertSameWire(cpmMessage(), relay);
        assertSameWire(oddMessage(), relay);
        assertSameWire(oddMessage(), m -> {
            m.setHeader("From", "<sip:family@cpm.example.com>;tag=g1");
            m.setHeader("To", "<sip:carol@example.com>");
            m.setHeader("Content-Type", "message/cpim");
            m.setHeader("Supported", "timer");
        });
    }

    @Test
    void changedHeadersGoOutChanged() throws Exception {
        Message message = received(oddMessage());
        message.setHeader("X-Odd", "new value");
        message.removeHeader("Supported");
        @SuppressWarnings("unchecked")
        List<String> identities = message.getHeader("P-Asserted-Identity", List.class);
        identities.add("<sip:alice-alias@example.com>"); // changed in place: the list is no longer what arrived
        message.setHeader("Conversation-ID", "c-1");
        assertSameWire(message);
        String wire = wire(SipMessageBinding.toRequest(message, node, "udp"));
        assertTrue(wire.contains("X-Odd: new value\r\n"), wire);
        assertFalse(wire.contains("Supported"), wire);
        assertTrue(wire.contains("<sip:alice-alias@example.com>"), wire);
        assertTrue(wire.contains("Conversation-ID: c-1\r\n"), wire);
    }

    @Test
    void aHeaderSetUnderAnotherSpellingKeepsThatSpelling() throws Exception {
        Message message = received(cpmMessage());
        String value = message.getHeader("Conversation-ID", String.class);
        message.removeHeader("Conversation-ID");
        message.setHeader("conversation-id", value);
        assertSameWire(message);
        assertTrue(wire(SipMessageBinding.toRequest(message, node, "udp")).contains("conversation-id: " + value));
    }

    @Test
    void routesToThisNodeAreConsumedAndOthersCopied() throws Exception {
        Message message = received(oddMessage());
        assertEquals(List.of("<sip:proxy.example.com;lr>", "<sip:other.example.com:5070;lr;transport=tcp>"),
                message.getHeader("Route", List.class));
        String wire = wire(SipMessageBinding.toRequest(message, node, "udp"));
        assertFalse(wire.contains("127.0.0.1:" + node.port() + ";lr"), wire);
        assertTrue(wire.contains("proxy.example.com;lr"), wire);
    }

    @Test
    void sentHeadersAreCopiesNotTheReceivedObjects() throws Exception {
        Request receivedRequest = ReceivedRequests.parse(cpmMessage().getBytes(StandardCharsets.UTF_8));
        Message message = new DefaultExchange(context).getMessage();
        SipMessageBinding.toCamel(ReceivedRequests.incoming(node, receivedRequest, 5099), message);
        Request sent = SipMessageBinding.toRequest(message, node, "udp");
        for (String name : List.of("From", "To", "Content-Type", "Conversation-ID", "Accept-Contact", "Contact")) {
            Header in = receivedRequest.getHeader(name);
            Header out = sent.getHeader(name);
            assertEquals(in.toString(), out.toString(), name);
            assertNotSame(in, out, name);
        }
        ((FromHeader) sent.getHeader("From")).setTag("changed");
        assertEquals("f1a2b3", ((FromHeader) receivedRequest.getHeader("From")).getTag());
        Request again = SipMessageBinding.toRequest(message, node, "udp");
        assertEquals("f1a2b3", ((FromHeader) again.getHeader("From")).getTag());
    }

    @Test
    void aReplayedRequestKeepsNothingOfTheRequest() throws Exception {
        Request request = ReceivedRequests.parse(oddMessage().getBytes(StandardCharsets.UTF_8));
        Message message = new DefaultExchange(context).getMessage();
        SipMessageBinding.toCamel(request, message);
        assertNull(message.getHeader(SipMessageConstants.RECEIVED_HEADERS));
        assertEquals(3, message.getHeader("Route", List.class).size()); // no node: every Route kept
        assertFalse(SipMessageBinding.isWireHeader(SipMessageConstants.RECEIVED_HEADERS));
    }

    @Test
    void camelValuesAreTheReceivedHeaderValues() throws Exception {
        Request request = ReceivedRequests.parse(oddMessage().getBytes(StandardCharsets.UTF_8));
        Message message = new DefaultExchange(context).getMessage();
        SipMessageBinding.toCamel(ReceivedRequests.incoming(node, request, 5099), message);
        for (String name : List.of("From", "To", "Accept-Contact", "Supported", "X-Odd", "P-Asserted-Identity")) {
            List<String> expected = new ArrayList<>();
            ListIterator<?> it = request.getHeaders(name);
            while (it.hasNext()) {
                expected.add(SipNode.headerValue(it.next()));
            }
            Object value = message.getHeader(name);
            assertEquals(expected, value instanceof List<?> list ? list : List.of(value), name);
        }
    }
}
