package org.cpmrouter.sip;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * What PROTOS c07-sip found on the wire, over a real UDP socket on 127.0.0.1: a Via port no datagram can go to is
 * refused 400 at the port the request came from, with no ERROR logged; every response the node sends is framed
 * right ({@link ResponseFraming}), including for requests the stack used to answer with a 400 of its own; and a
 * Call-ID with NUL or ESC reaches the log escaped. Every line logged meanwhile is checked: none at ERROR, none
 * with a raw control character.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireHygieneTest {

    private SipNode node;
    private UdpProbe probe;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    /** What carries UDP for the node under test (the subclass for the lean path overrides it). */
    SipNodeConfig.UdpPath udpPath() {
        return SipNodeConfig.UdpPath.JAIN_SIP;
    }

    @BeforeAll
    void start() throws Exception {
        node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 2, null)
                .withUdpPath(udpPath()));
        node.setHandler(in -> in.respond(202));
        probe = new UdpProbe();
    }

    @AfterAll
    void stop() {
        probe.close();
        node.close();
    }

    @BeforeEach
    void captureLog() {
        log.list.clear();
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void checkLog() {
        root().detachAppender(log);
        for (ILoggingEvent event : log.list) {
            String line = event.getFormattedMessage();
            assertFalse(event.getLevel().isGreaterOrEqual(Level.ERROR), () -> "logged at ERROR: " + LogText.of(line));
            assertTrue(line.chars().noneMatch(c -> Character.getType(c) == Character.CONTROL),
                    () -> "a raw control character in a log line: " + LogText.of(line));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "70000", "2147483647"})
    void should_refuse_400_at_the_source_port_when_the_top_via_port_is_out_of_range(String port) throws Exception {
        String request = message("Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=" + branch(), callId(), "");
        byte[] answer = exchange(request);

        assertFramed(answer);
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("SIP/2.0 400 Via port out of range\r\n"), text);
        String via = UdpProbe.headerValues(text, "Via").get(0);
        assertTrue(via.contains(";rport=" + probe.port()), "the answer says where it went: " + via);
        assertStillAnswering();
    }

    @Test
    void should_refuse_400_when_a_lower_via_port_is_out_of_range() throws Exception {
        String request = message("Via: SIP/2.0/UDP 127.0.0.1:" + probe.port() + ";branch=" + branch() + "\n"
                + "Via: SIP/2.0/UDP 192.0.2.7:99999;branch=" + branch(), callId(), "");
        byte[] answer = exchange(request);

        assertFramed(answer);
        assertEquals(400, UdpProbe.status(new String(answer, StandardCharsets.ISO_8859_1)));
    }

    @Test
    void should_answer_a_framed_400_when_the_screening_refuses_a_request_with_broken_line_ends() throws Exception {
        // PROTOS style: bare LF and bare CR line ends, and a second CSeq; the 400 must not copy any of it
        String callId = callId();
        String request = "MESSAGE sip:bob@127.0.0.1 SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.port() + ";branch=" + branch() + "\r"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@cpm.example.com>;tag=a1\n"
                + "To: <sip:bob@cpm.example.com>\r"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 MESSAGE\n"
                + "CSeq: 2 MESSAGE\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: 2\r\n\r\nhi";
        probe.sendRaw(request.getBytes(StandardCharsets.ISO_8859_1), node.port());
        byte[] answer = probe.awaitFinalBytes();

        assertFramed(answer);
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("SIP/2.0 400 Duplicate CSeq header\r\n"), text);
        assertEquals(List.of(callId), UdpProbe.headerValues(text, "Call-ID"));
    }

    @Test
    void should_drop_instead_of_the_stacks_400_when_no_response_can_be_built() throws Exception {
        // the stack answered this one itself: "Content-Type: message/sipfrag" then a blank line, then the rest
        String callId = callId();
        probe.send(message("Via: SIP/2.0/UDP 127.0.0.1:" + probe.port() + ";branch=" + branch(), callId, "")
                .replace("From: <sip:alice@cpm.example.com>", "From: \"Alice <sip:alice@cpm.example.com>"), node.port());

        String next = callId();
        byte[] answer = exchange(message("Via: SIP/2.0/UDP 127.0.0.1:" + probe.port() + ";branch=" + branch(),
                next, ""));
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertEquals(List.of(next), UdpProbe.headerValues(text, "Call-ID"), "nothing answered the dropped one");
        assertFramed(answer);
        awaitLogLine("callId=" + callId + " request dropped: Malformed From header");
    }

    @Test
    void should_log_a_call_id_with_nul_and_esc_escaped_and_answer_nothing() throws Exception {
        String raw = "nul\u0000esc\u001b[31mred\\" + UUID.randomUUID() + "@127.0.0.1";
        probe.send(message("Via: SIP/2.0/UDP 127.0.0.1:" + probe.port() + ";branch=" + branch(), raw, ""),
                node.port());

        String escaped = "nul\\x00esc\\x1b[31mred\\\\" + raw.substring(raw.indexOf("red\\") + 4);
        awaitLogLine("callId=" + escaped + " request dropped: Control character in Call-ID header");
        assertStillAnswering();
    }

    @Test
    void should_drop_a_call_id_whose_control_character_stands_in_quotes() throws Exception {
        // a Call-ID has no quoted-pair (RFC 3261 section 25.1): the ESC is in the Call-ID, and a response would copy it
        String raw = "\"\\\u001b\"" + UUID.randomUUID() + "@127.0.0.1";
        probe.send(message("Via: SIP/2.0/UDP 127.0.0.1:" + probe.port() + ";branch=" + branch(), raw, ""),
                node.port());

        awaitLogLine("callId=\"\\\\\\x1b\"" + raw.substring(4) + " request dropped: Control character in Call-ID");
        assertStillAnswering();
    }

    /** A valid MESSAGE is answered 202, framed right, and nothing else arrives before it. */
    private void assertStillAnswering() throws IOException {
        String callId = callId();
        byte[] answer = exchange(message("Via: SIP/2.0/UDP 127.0.0.1:" + probe.port() + ";branch=" + branch(),
                callId, ""));
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertEquals(List.of(callId), UdpProbe.headerValues(text, "Call-ID"), text);
        assertEquals(202, UdpProbe.status(text), text);
        assertFramed(answer);
    }

    private byte[] exchange(String request) throws IOException {
        probe.send(request, node.port());
        byte[] answer = probe.awaitFinalBytes();
        assertTrue(answer != null, "no answer");
        return answer;
    }

    private static void assertFramed(byte[] answer) {
        assertNull(ResponseFraming.problem(answer), () -> LogText.of(new String(answer, StandardCharsets.ISO_8859_1)));
    }

    private void awaitLogLine(String start) {
        await().atMost(Duration.ofSeconds(5)).until(() -> log.list.stream()
                .anyMatch(e -> e.getFormattedMessage().startsWith(start)));
    }

    /** A MESSAGE with these Via lines and Call-ID (LF line ends, which {@link UdpProbe#send} makes CRLF). */
    private String message(String via, String callId, String extraHeaders) {
        return "MESSAGE sip:bob@127.0.0.1:" + node.port() + " SIP/2.0\n"
                + via + "\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:alice@cpm.example.com>;tag=a1\n"
                + "To: <sip:bob@cpm.example.com>\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: 1 MESSAGE\n"
                + extraHeaders
                + "Content-Type: text/plain\n"
                + "Content-Length: 2\n\nhi";
    }

    private static String callId() {
        return UUID.randomUUID() + "@127.0.0.1";
    }

    private static String branch() {
        return "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
