package org.cpmrouter.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.junit.jupiter.api.Test;

/** E.164, national and alphanumeric addresses on the SMPP wire. */
class SmsAddressTest {

    @Test
    void should_send_an_e164_number_without_its_plus_as_international_isdn() {
        assertEquals(new SmsAddress("15551230001", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN),
                SmsAddress.parseSource("+15551230001"));
        assertEquals(new SmsAddress("15559990000", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN),
                SmsAddress.parseDestination("+15559990000"));
    }

    @Test
    void should_send_digits_as_unknown_isdn_and_a_name_as_alphanumeric() {
        assertEquals(new SmsAddress("4242", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN),
                SmsAddress.parseSource("4242"));
        assertEquals(new SmsAddress("CPMRouter", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN),
                SmsAddress.parseSource("CPMRouter"));
    }

    @Test
    void should_refuse_addresses_it_cannot_send() {
        assertThrows(IllegalArgumentException.class, () -> SmsAddress.parseSource("TwelveLetter"));
        assertThrows(IllegalArgumentException.class, () -> SmsAddress.parseSource("+0123"));
        assertThrows(IllegalArgumentException.class, () -> SmsAddress.parseSource(""));
        assertThrows(IllegalArgumentException.class, () -> SmsAddress.parseDestination("bob"));
        assertThrows(IllegalArgumentException.class, () -> new OutboundSms("+15551230001", "sip:bob@x", "hi"));
        assertThrows(IllegalArgumentException.class, () -> new OutboundSms("+15551230001", "+15559990000", ""));
    }

    @Test
    void should_give_back_the_plus_when_the_smsc_marks_an_address_international() {
        assertEquals("+15559990000", SmsAddress.normalize("15559990000", TypeOfNumber.INTERNATIONAL.value()));
        assertEquals("+15559990000", SmsAddress.normalize("+15559990000", TypeOfNumber.INTERNATIONAL.value()));
        assertEquals("4242", SmsAddress.normalize("4242", TypeOfNumber.UNKNOWN.value()));
    }
}
