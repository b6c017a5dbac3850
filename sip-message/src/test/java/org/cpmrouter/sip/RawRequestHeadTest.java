package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import org.junit.jupiter.api.Test;

/** Reading a request's head from raw bytes for a stateless refusal, and the refusal it makes. */
class RawRequestHeadTest {

    private static final String REQUEST = "MESSAGE sip:bob@127.0.0.1:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-77-1-0\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.9:5070;branch=z9hG4bKolder\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@127.0.0.1:5061>;tag=77SIPpTag001\r\n"
            + "To: <sip:bob@127.0.0.1:5060>\r\n"
            + "Call-ID: 1-77@127.0.0.1\r\n"
            + "CSeq: 1 MESSAGE\r\n"
            + "Content-Type: message/cpim\r\n"
            + "Content-Length: 5\r\n\r\nhello";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void should_read_method_branch_call_id_and_sent_by_when_the_request_is_plain() {
        RawRequestHead head = RawRequestHead.read(bytes(REQUEST));
        assertNotNull(head);
        assertEquals("MESSAGE", head.method);
        assertEquals("z9hg4bk-77-1-0", head.branch);
        assertEquals("1-77@127.0.0.1", head.callId);
        assertEquals("127.0.0.1", head.sentByHost);
        assertEquals(5061, head.sentByPort);
    }

    @Test
    void should_build_a_response_the_stack_parses_with_every_via_and_a_to_tag_when_refusing() throws Exception {
        byte[] wire = RawRequestHead.read(bytes(REQUEST)).response(503, "Service Unavailable", "abc",
                List.of("Retry-After: 5"));
        SIPResponse response = (SIPResponse) new StringMsgParser().parseSIPMessage(wire, true, false, null);
        assertEquals(503, response.getStatusCode());
        assertEquals(2, response.getViaHeaders().size());
        assertEquals("z9hG4bK-77-1-0", response.getTopmostVia().getBranch());
        assertEquals("abc", response.getTo().getTag());
        assertEquals("77SIPpTag001", response.getFrom().getTag());
        assertEquals("1-77@127.0.0.1", response.getCallId().getCallId());
        assertEquals("MESSAGE", response.getCSeq().getMethod());
        assertTrue(new String(wire, StandardCharsets.ISO_8859_1).contains("\r\nRetry-After: 5\r\n"));
        assertEquals(0, response.getContentLength().getContentLength());
    }

    @Test
    void should_keep_the_to_tag_when_the_request_has_one() {
        String withTag = REQUEST.replace("To: <sip:bob@127.0.0.1:5060>", "t: <sip:bob@127.0.0.1:5060>;tag=x1");
        String wire = new String(RawRequestHead.read(bytes(withTag)).response(503, "Service Unavailable", "abc",
                List.of()), StandardCharsets.ISO_8859_1);
        assertTrue(wire.contains("\r\nt: <sip:bob@127.0.0.1:5060>;tag=x1\r\n"), wire);
    }

    @Test
    void should_read_compact_header_names() {
        String compact = REQUEST.replace("Via:", "v:").replace("From:", "f:").replace("Call-ID:", "i:");
        RawRequestHead head = RawRequestHead.read(bytes(compact));
        assertNotNull(head);
        assertEquals("1-77@127.0.0.1", head.callId);
    }

    @Test
    void should_leave_to_the_parser_what_it_is_not_sure_about() {
        assertNull(RawRequestHead.read(bytes("SIP/2.0 200 OK\r\n" + REQUEST.substring(REQUEST.indexOf("Via")))),
                "a response");
        assertNull(RawRequestHead.read(bytes(REQUEST.replace(";branch=z9hG4bK-77-1-0", ";branch=old-style"))),
                "a branch without the RFC 3261 cookie");
        assertNull(RawRequestHead.read(bytes(REQUEST.replace("5061;branch", "5061;rport;branch"))), "rport");
        assertNull(RawRequestHead.read(bytes(REQUEST.replace("Call-ID: 1-77@127.0.0.1\r\n", ""))), "no Call-ID");
        assertNull(RawRequestHead.read(bytes(REQUEST.replace("CSeq: 1 MESSAGE\r\n", "CSeq: 1\r\n MESSAGE\r\n"))),
                "a folded line");
        assertNull(RawRequestHead.read(bytes(REQUEST.replace("SIP/2.0/UDP 127.0.0.1:5061", "SIP/2.0/TCP 127.0.0.1:5061"))),
                "not UDP");
        assertNull(RawRequestHead.read(bytes(REQUEST.replace("127.0.0.1:5061;", "[::1]:5061;"))), "IPv6 sent-by");
        assertNull(RawRequestHead.read(bytes(REQUEST.substring(0, REQUEST.indexOf("\r\n\r\n")))), "no end of head");
        assertNull(RawRequestHead.read(bytes(REQUEST.replace("1-77@", "1-77\u0000@"))), "a NUL a refusal would copy");
        assertNull(RawRequestHead.read(bytes(REQUEST.replace(";tag=77SIPpTag001\r\n", ";tag=77\nX: y\r\n"))),
                "a bare LF inside a line a refusal would copy");
    }

    @Test
    void should_read_a_stream_request_whatever_its_via_as_its_answer_goes_back_on_the_connection() {
        String overTcp = REQUEST.replace("SIP/2.0/UDP 127.0.0.1:5061;branch",
                "SIP/2.0/TCP 127.0.0.1:5061;rport;branch");
        assertNull(RawRequestHead.read(bytes(overTcp)), "a datagram's refusal goes to the Via: only a plain UDP one");
        RawRequestHead head = RawRequestHead.readFromStream(bytes(overTcp));
        assertNotNull(head);
        assertEquals("z9hg4bk-77-1-0", head.branch);
        assertEquals("1-77@127.0.0.1", head.callId);
        assertEquals("", head.sentByHost);
        assertNull(RawRequestHead.readFromStream(bytes(overTcp.replace("branch=z9hG4bK-77-1-0", "branch=1"))),
                "a branch without the RFC 3261 cookie has no transaction key to look up");
    }

    @Test
    void should_give_a_stream_head_its_crlf_line_ends_back_as_the_stack_joins_its_lines_with_lf() {
        String head = REQUEST.substring(0, REQUEST.indexOf("\r\n\r\n") + 4);
        String asTheStackHandsItOver = head.substring(0, head.length() - 4).replace("\r\n", "\n")
                + "\n\r\n";
        assertEquals(head, new String(EarlyRefusal.withCrlfLineEnds(bytes(asTheStackHandsItOver)),
                StandardCharsets.ISO_8859_1));
        byte[] already = bytes(head);
        assertTrue(already == EarlyRefusal.withCrlfLineEnds(already), "a head with CRLFs only is left as it is");
    }
}
