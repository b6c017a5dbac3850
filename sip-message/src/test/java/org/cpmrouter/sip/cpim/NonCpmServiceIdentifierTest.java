package org.cpmrouter.sip.cpim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import javax.sip.SipFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class NonCpmServiceIdentifierTest {

    private final NonCpmServiceIdentifier codec = NonCpmServiceIdentifier.standard();

    @Test
    void should_normalize_sms_and_mms_in_any_case_and_keep_other_tokens() {
        assertEquals(Optional.of("SMS"), codec.parse(" sms "));
        assertEquals(Optional.of("MMS"), codec.parse("Mms"));
        assertEquals(Optional.of("Fax-G3"), codec.parse("Fax-G3"));
        assertEquals(Optional.empty(), codec.parse(null));
        assertEquals(Optional.empty(), codec.parse("  "));
    }

    @Test
    void should_refuse_a_value_that_is_not_one_token() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.parse("SMS, MMS"));
        assertTrue(e.getMessage().contains("Non-CPM-Service"), e.getMessage());
    }

    @Test
    void should_refuse_a_header_name_that_is_not_a_token() {
        assertThrows(IllegalArgumentException.class, () -> new NonCpmServiceIdentifier("Non CPM"));
    }

    @Test
    void should_round_trip_on_a_camel_message_under_the_configured_name() {
        NonCpmServiceIdentifier custom = new NonCpmServiceIdentifier("X-Interworking-Service");
        org.apache.camel.Message message = new DefaultExchange(new DefaultCamelContext()).getMessage();
        custom.write(message, "sms");
        assertEquals("SMS", message.getHeader("X-Interworking-Service"));
        assertEquals(Optional.of("SMS"), custom.read(message));
        assertEquals(Optional.empty(), codec.read(message));
        custom.write(message, null);
        assertEquals(Optional.empty(), custom.read(message));
    }

    @Test
    void should_round_trip_on_a_sip_request() throws Exception {
        SipFactory sip = SipFactory.getInstance();
        sip.setPathName("gov.nist");
        HeaderFactory headers = sip.createHeaderFactory();
        MessageFactory messages = sip.createMessageFactory();
        Request request = messages.createRequest("MESSAGE sip:bob@cpm.example.com SIP/2.0\r\n"
                + "Call-ID: c1\r\nCSeq: 1 MESSAGE\r\nFrom: <tel:+15559990000>;tag=a\r\nTo: <sip:bob@cpm.example.com>\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        assertEquals(Optional.empty(), codec.read(request));
        codec.write(request, headers, "mms");
        assertEquals(Optional.of("MMS"), codec.read(request));
        Request reparsed = messages.createRequest(request.toString());
        assertEquals(Optional.of("MMS"), codec.read(reparsed));
    }
}
