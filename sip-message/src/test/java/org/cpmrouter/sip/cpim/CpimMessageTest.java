package org.cpmrouter.sip.cpim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CpimMessageTest {

    @Test
    void should_round_trip_text_and_imdn_headers_when_built_and_parsed() {
        CpimMessage built = CpimMessage.builder().from("sip:alice@cpm.example.com").to("sip:bob@cpm.example.com")
                .text("Grüße, Bob").messageId("m-1").build();
        CpimMessage parsed = CpimMessage.parse(built.toBytes());
        assertEquals("Grüße, Bob", parsed.text());
        assertEquals("sip:alice@cpm.example.com", parsed.fromUri().orElseThrow());
        assertEquals("sip:bob@cpm.example.com", parsed.toUri().orElseThrow());
        assertEquals("m-1", parsed.imdnMessageId().orElseThrow());
    }

    @Test
    void should_resolve_namespace_by_uri_when_sender_uses_another_prefix() {
        String body = "From: <tel:+8615053065637>\nTo: <tel:+8615068458834>\nDateTime: 2020-09-27T04:02:25.941Z\n"
                + "NS: x <urn:ietf:params:imdn>\nx.Message-ID: 0a76cec9\n\n"
                + "Content-Type: text/plain;charset=UTF-8\nContent-Transfer-Encoding: base64\nContent-Length: 8\n\n"
                + "5Z6D5Zy+";
        CpimMessage parsed = CpimMessage.parse(body.getBytes(StandardCharsets.UTF_8));
        assertEquals("0a76cec9", parsed.imdnMessageId().orElseThrow());
        assertEquals("垃圾", parsed.text());
        assertEquals("tel:+8615053065637", parsed.fromUri().orElseThrow());
    }

    @Test
    void should_refuse_body_without_blank_line_after_headers() {
        assertThrows(CpimFormatException.class,
                () -> CpimMessage.parse("From: <sip:a@b>\nTo: <sip:c@d>".getBytes(StandardCharsets.UTF_8)));
        assertThrows(CpimFormatException.class,
                () -> CpimMessage.parse("no colon here\n\n\n".getBytes(StandardCharsets.UTF_8)));
    }
}
