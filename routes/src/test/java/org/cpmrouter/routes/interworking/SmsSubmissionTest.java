package org.cpmrouter.routes.interworking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.junit.jupiter.api.Test;

/**
 * What text an SMS gets from a CPM Message by its Content-Type: the text of a CPIM body, a {@code text/plain} body
 * as a plain SIP client sends it, and 488 for what SMS cannot carry, a delivery receipt with its own reason.
 */
class SmsSubmissionTest {

    private static final String RECEIPT = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>m1</message-id>"
            + "<delivery-notification><status><delivered/></status></delivery-notification></imdn>";

    private static Message message(String contentType, byte[] body) {
        Message m = new DefaultMessage(new DefaultCamelContext());
        m.setHeader("Content-Type", contentType);
        m.setBody(body);
        return m;
    }

    @Test
    void should_take_the_cpim_payload_as_the_text_when_the_body_is_cpim() {
        byte[] cpim = CpimMessage.builder().from("sip:alice@cpm.example.com").to("tel:+15559990000")
                .text("über CPIM").build().toBytes();
        assertEquals("über CPIM", SmsSubmission.text(message("message/cpim", cpim)));
    }

    @Test
    void should_take_a_plain_text_body_as_the_text_when_a_plain_sip_client_sends_it() {
        byte[] body = "Ünïcode ✓ from baresip".getBytes(StandardCharsets.UTF_8);
        assertEquals("Ünïcode ✓ from baresip", SmsSubmission.text(message("text/plain", body)));
        assertEquals("Ünïcode ✓ from baresip", SmsSubmission.text(message("Text/Plain; charset=UTF-8", body)));
    }

    @Test
    void should_decode_a_plain_text_body_in_its_charset_when_one_is_named() {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("café", SmsSubmission.text(message("text/plain;charset=\"ISO-8859-1\"", latin1)));
    }

    @Test
    void should_refuse_488_when_a_plain_delivery_receipt_is_sent_to_an_sms_user() {
        SipResponseException refusal = assertThrows(SipResponseException.class, () -> SmsSubmission.text(
                message("message/imdn+xml", RECEIPT.getBytes(StandardCharsets.UTF_8))));
        assertEquals(488, refusal.status());
        assertEquals("A delivery receipt (message/imdn+xml) cannot be sent by SMS", refusal.reason());
    }

    @Test
    void should_refuse_488_when_a_delivery_receipt_in_cpim_is_sent_to_an_sms_user() {
        String cpim = "From: <sip:alice@cpm.example.com>\r\nTo: <tel:+15559990000>\r\n"
                + "NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: r1\r\n\r\n"
                + "Content-Type: message/imdn+xml\r\nContent-Length: " + RECEIPT.length() + "\r\n\r\n" + RECEIPT;
        SipResponseException refusal = assertThrows(SipResponseException.class, () -> SmsSubmission.text(
                message("message/cpim", cpim.getBytes(StandardCharsets.UTF_8))));
        assertEquals(488, refusal.status());
        assertEquals("A delivery receipt (message/imdn+xml) cannot be sent by SMS", refusal.reason());
    }

    @Test
    void should_refuse_488_when_the_body_is_not_text() {
        SipResponseException refusal = assertThrows(SipResponseException.class, () -> SmsSubmission.text(
                message("application/octet-stream", new byte[] {1, 2, 3})));
        assertEquals(488, refusal.status());
        assertEquals("Only text can be sent by SMS", refusal.reason());
    }
}
