package org.cpmrouter.routes.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.junit.jupiter.api.Test;

/** What a report needs of a MESSAGE as the routes carry it, and which messages can never be reported on. */
class ReportedMessageTest {

    private static final String ALICE = "sip:alice@cpm.example.com";
    private static final String BOB = "sip:bob@cpm.example.com";
    private static final String FAMILY = "sip:family@cpm.example.com";

    private static Message request(String contentType, byte[] body) {
        Message m = new DefaultMessage(new DefaultCamelContext());
        m.setHeader("Call-ID", "call-1@127.0.0.1");
        m.setHeader(SipMessageConstants.REQUEST_URI, BOB);
        m.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + ALICE + ">");
        m.setHeader("Content-Type", contentType);
        m.setBody(body);
        return m;
    }

    private static byte[] cpim(String disposition) {
        return CpimMessage.builder().from(ALICE).to(BOB).text("Dinner at 8").messageId("msg-1")
                .dateTime(java.time.Instant.parse("2030-01-01T10:00:00Z")).dispositionNotification(disposition)
                .build().toBytes();
    }

    @Test
    void should_read_the_message_id_what_was_asked_and_the_datetime_of_a_cpim_message() {
        ReportedMessage m = ReportedMessage.of(request("message/cpim", cpim("Positive-Delivery, negative-delivery")),
                null).orElseThrow();

        assertEquals(new ReportedMessage("call-1@127.0.0.1", ALICE, BOB, "msg-1",
                Set.of("positive-delivery", "negative-delivery"), "2030-01-01T10:00:00Z"), m);
        assertTrue(m.asked(ImdnStatus.FAILED) && m.asked(ImdnStatus.DELIVERED) && !m.asked(ImdnStatus.STORED));
        assertTrue(m.askedForDelivery());
    }

    @Test
    void should_name_the_original_sender_of_a_group_copy_and_the_recipient_given() {
        Message copy = request("message/cpim", cpim("negative-delivery"));
        copy.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "\"Family\" <" + FAMILY + ">");
        copy.setHeader(CpmHeaders.REFERRED_BY, "<" + ALICE + ">");

        ReportedMessage m = ReportedMessage.of(copy, "sip:carol@cpm.example.com").orElseThrow();

        assertEquals(ALICE, m.sender());
        assertEquals("sip:carol@cpm.example.com", m.recipient());
    }

    @Test
    void should_give_nothing_when_the_sender_asked_for_nothing() {
        assertEquals(Optional.empty(), ReportedMessage.of(request("message/cpim", cpim(null)), null));
        assertEquals(Optional.empty(), ReportedMessage.of(request("text/plain;charset=UTF-8",
                "plain".getBytes(StandardCharsets.UTF_8)), null), "a plain SIP client's text asks for nothing");
    }

    @Test
    void should_never_give_a_report_about_a_report_bare_or_in_cpim() {
        byte[] xml = ("<?xml version=\"1.0\"?><imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>m0</message-id>"
                + "<delivery-notification><status><delivered/></status></delivery-notification></imdn>")
                .getBytes(StandardCharsets.UTF_8);
        byte[] wrapped = ("From: <" + ALICE + ">\r\nTo: <" + BOB + ">\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
                + "imdn.Message-ID: r1\r\nimdn.Disposition-Notification: negative-delivery\r\n\r\n"
                + "Content-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n\r\n"
                + new String(xml, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

        assertEquals(Optional.empty(), ReportedMessage.of(request("message/imdn+xml", xml), null));
        assertEquals(Optional.empty(), ReportedMessage.of(request("message/cpim", wrapped), null));
        assertEquals(Optional.empty(), ReportedMessage.of("call-1", ALICE, BOB, "message/cpim", wrapped),
                "nor from the parts of a journal");
    }

    @Test
    void should_give_nothing_for_a_body_that_is_not_cpim_it_can_read() {
        assertEquals(Optional.empty(), ReportedMessage.of(request("message/cpim",
                "no blank line".getBytes(StandardCharsets.UTF_8)), null));
    }
}
