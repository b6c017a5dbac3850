package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@link RetransmissionKey}: what it reads, and the unusual requests it leaves to the parser (null). */
class RetransmissionKeyTest {

    private static final String HEAD = "MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;rport;Branch=z9hG4bK-AbC.1;x=y, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKc\r\n"
            + "From: <sip:alice@cpm.example.com>;tag=1\r\n"
            + "To: <sip:bob@cpm.example.com>\r\n"
            + "Call-ID: a@127.0.0.1\r\n"
            + "CSeq: 4711 MESSAGE\r\n";

    private static RetransmissionKey read(String text) {
        return RetransmissionKey.read(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void should_read_method_the_first_branch_of_the_top_via_in_lower_case_and_the_cseq_number() {
        assertEquals(new RetransmissionKey("MESSAGE", "z9hg4bk-abc.1", 4711),
                read(HEAD + "Content-Length: 1\r\n\r\nx"));
    }

    @Test
    void should_read_compact_via_and_any_case_of_header_names() {
        String text = HEAD.replace("Via: SIP/2.0/UDP 127.0.0.1:5061;", "v : SIP/2.0/UDP 127.0.0.1:5061;")
                .replace("CSeq:", "CSEQ:");
        assertEquals(new RetransmissionKey("MESSAGE", "z9hg4bk-abc.1", 4711), read(text + "\r\n"));
    }

    @Test
    void should_leave_to_the_parser_what_it_is_not_sure_about() {
        assertNull(read(HEAD.replace("z9hG4bK-AbC.1", "old-style-branch") + "\r\n"), "no RFC 3261 cookie");
        assertNull(read(HEAD.replace("Branch=z9hG4bK-AbC.1;", "") .replace("z9hG4bKb", "x") + "\r\n"),
                "no branch in the first Via value");
        assertNull(read(HEAD.replace("CSeq: 4711 MESSAGE", "CSeq: 4711 INVITE") + "\r\n"), "CSeq of another method");
        assertNull(read(HEAD + "CSeq: 4712 MESSAGE\r\n\r\n"), "two CSeq headers");
        assertNull(read(HEAD.replace("CSeq: 4711 MESSAGE\r\n", "") + "\r\n"), "no CSeq");
        assertNull(read(HEAD.replace("From:", " From:") + "\r\n"), "a folded line");
        assertNull(read(HEAD.replace("\r\n", "\n") + "\n"), "lines not ended by CRLF");
        assertNull(read("SIP/2.0 200 OK\r\n" + HEAD.substring(HEAD.indexOf("Via")) + "\r\n"), "a response");
        assertNull(read("message sip:bob@127.0.0.1 SIP/2.0\r\n" + HEAD.substring(HEAD.indexOf("Via")) + "\r\n"),
                "a method not in upper case");
        assertNull(read(HEAD.replace("4711", "12345678901") + "\r\n"), "a CSeq number past 2**31");
        assertNull(read(""), "nothing");
    }
}
