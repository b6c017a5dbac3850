package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The shortcuts of {@link RawMessageHead} the screening parser takes on every datagram give what the plain reading
 * gives: a response told from its first bytes, header names without a lower-case copy, the SIP-Version without a
 * regex.
 */
class RawMessageHeadTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What the parser decided from the whole head before it had the shortcut. */
    private static boolean readAsResponseOrEmpty(byte[] raw) {
        RawMessageHead head = RawMessageHead.read(raw);
        return head == null || head.isResponse();
    }

    @Test
    void should_tell_a_response_from_its_first_bytes_as_reading_the_head_does() {
        List<String> cases = List.of("SIP/2.0 200 OK\r\n\r\n", "\r\n\r\nSIP/2.0 200 OK\r\n", " \tSIP/2.0 200 OK\r\n",
                "\u001c SIP/2.0 180 Ringing\n", "MESSAGE sip:bob@x SIP/2.0\r\n\r\n", "   \r\nSIP/2.0 200 OK\r\n",
                "\r\n\r\n", "", "SIP", "SIP/", "sip/2.0 200 OK\r\n", " \u0001SIP/2.0 200 OK\r\n", "\u00a0SIP/2.0 200 OK",
                "SIP /2.0 200 OK\r\n", " \u000bSIP/2.0 200 OK\r\n", "\tINVITE sip:a@b SIP/2.0\r\n");
        for (String text : cases) {
            assertEquals(readAsResponseOrEmpty(bytes(text)), RawMessageHead.isResponseOrEmpty(bytes(text)),
                    LogText.of(text));
        }
    }

    @Test
    void should_name_headers_in_their_long_lower_case_form_whatever_the_case_and_spacing() {
        assertEquals("via", RawMessageHead.nameOf("VIA: SIP/2.0/UDP a"));
        assertEquals("call-id", RawMessageHead.nameOf(" Call-ID \t: x"));
        assertEquals("call-id", RawMessageHead.nameOf("I: x"));
        assertEquals("content-length", RawMessageHead.nameOf("l:0"));
        assertEquals("content-type", RawMessageHead.nameOf("c : text/plain"));
        assertEquals("max-forwards", RawMessageHead.nameOf("Max-Forwards: 70"));
        assertEquals("p-preferred-service", RawMessageHead.nameOf("P-Preferred-Service: urn:x"));
        assertEquals("x", RawMessageHead.nameOf("X: 1"));
        assertEquals("call-i\u0307d", RawMessageHead.nameOf("Call-\u0130d: x"), "not an ASCII letter: no Call-ID");
        assertEquals("", RawMessageHead.nameOf(": x"));
        assertEquals("", RawMessageHead.nameOf("no colon"));
    }

    @Test
    void should_read_the_sip_version_as_the_last_of_at_least_three_words() {
        assertEquals("SIP/2.0", head("MESSAGE sip:bob@x SIP/2.0").version());
        assertEquals("SIP/7.0", head("MESSAGE \t sip:bob@x\t\tSIP/7.0").version());
        assertEquals("SIP/2.0", head("MESSAGE sip:bob@x extra SIP/2.0").version());
        assertEquals("", head("MESSAGE sip:bob@x").version());
        assertEquals("", head("MESSAGE").version());
    }

    @Test
    void should_find_the_first_single_valued_header_that_repeats() {
        RawMessageHead head = RawMessageHead.read(bytes("MESSAGE sip:b@x SIP/2.0\r\nVia: a\r\nTo: <sip:b@x>\r\n"
                + "Via: b\r\nCSeq: 1 MESSAGE\r\nt: <sip:c@x>\r\ncseq: 2 MESSAGE\r\n\r\n"));
        assertEquals("to", head.firstRepeated(Set.of("to", "cseq", "call-id")));
        assertEquals("cseq", head.firstRepeated(Set.of("cseq", "call-id")));
        assertNull(head.firstRepeated(Set.of("call-id", "from")));
    }

    private static RawMessageHead head(String startLine) {
        return RawMessageHead.read(bytes(startLine + "\r\nCall-ID: 1\r\n\r\n"));
    }
}
