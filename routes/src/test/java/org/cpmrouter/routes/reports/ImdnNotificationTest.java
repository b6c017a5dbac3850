package org.cpmrouter.routes.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import org.cpmrouter.sip.cpim.CpimMessage;
import org.junit.jupiter.api.Test;

/** The body of a network report, as wire-format.md example F shows it. */
class ImdnNotificationTest {

    private static final ReportedMessage ORIGINAL = new ReportedMessage("c1", "sip:alice@cpm.example.com",
            "sip:bob@cpm.example.com", "0a76cec9-c5f4", Set.of("negative-delivery"), "2030-01-01T10:00:00Z");

    @Test
    void should_wrap_an_imdn_naming_the_original_message_in_cpim_with_a_message_id_of_its_own() {
        CpimMessage cpim = CpimMessage.parse(ImdnNotification.cpim("sip:cpm-network@cpm.example.com", "r-1",
                Instant.parse("2030-01-01T10:00:05Z"), ORIGINAL, ImdnStatus.FAILED));

        assertEquals("sip:cpm-network@cpm.example.com", cpim.fromUri().orElseThrow());
        assertEquals("sip:alice@cpm.example.com", cpim.toUri().orElseThrow());
        assertEquals("r-1", cpim.imdnMessageId().orElseThrow());
        assertEquals("2030-01-01T10:00:05Z", cpim.header("DateTime").orElseThrow());
        assertEquals("message/imdn+xml", cpim.contentType());
        assertEquals("notification", cpim.contentHeader("Content-Disposition").orElseThrow());
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"
                + "<message-id>0a76cec9-c5f4</message-id><datetime>2030-01-01T10:00:00Z</datetime>"
                + "<recipient-uri>sip:bob@cpm.example.com</recipient-uri>"
                + "<delivery-notification><status><failed/></status></delivery-notification></imdn>",
                new String(cpim.content(), StandardCharsets.UTF_8));
        assertEquals(Integer.toString(cpim.content().length), cpim.contentHeader("Content-Length").orElseThrow());
    }

    @Test
    void should_say_stored_as_a_processing_notification_and_delivered_as_a_delivery_one() {
        Instant now = Instant.parse("2030-01-01T10:00:05Z");
        assertEquals(true, ImdnNotification.xml(ORIGINAL, ImdnStatus.STORED, now)
                .endsWith("<processing-notification><status><stored/></status></processing-notification></imdn>"));
        assertEquals(true, ImdnNotification.xml(ORIGINAL, ImdnStatus.DELIVERED, now)
                .endsWith("<delivery-notification><status><delivered/></status></delivery-notification></imdn>"));
    }

    @Test
    void should_escape_what_came_from_the_wire() {
        ReportedMessage odd = new ReportedMessage("c1", "sip:alice@cpm.example.com", "tel:+1555<&>", "a<b>&\"c'",
                Set.of("negative-delivery"), null);
        String xml = ImdnNotification.xml(odd, ImdnStatus.FAILED, Instant.parse("2030-01-01T10:00:05Z"));

        assertEquals(true, xml.contains("<message-id>a&lt;b&gt;&amp;&quot;c&apos;</message-id>"
                + "<datetime>2030-01-01T10:00:05Z</datetime>"
                + "<recipient-uri>tel:+1555&lt;&amp;&gt;</recipient-uri>"), xml);
    }
}
