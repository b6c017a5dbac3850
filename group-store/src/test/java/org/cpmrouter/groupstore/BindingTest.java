package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BindingTest {

    private final Binding binding = new Binding("sip:a@x", "sip:a@192.0.2.1", 100_000, "call", 1, 40_000);

    @Test
    void should_report_remaining_seconds_rounded_up_when_not_expired() {
        assertEquals(60, binding.remainingSeconds(40_000));
        assertEquals(1, binding.remainingSeconds(99_999));
        assertEquals(2, binding.remainingSeconds(98_500));
    }

    @Test
    void should_report_zero_remaining_seconds_when_expired() {
        assertEquals(0, binding.remainingSeconds(100_000));
        assertEquals(0, binding.remainingSeconds(500_000));
    }

    @Test
    void should_throw_when_aor_contact_or_call_id_missing() {
        assertThrows(NullPointerException.class, () -> new Binding(null, "c", 1, "i", 1, 0));
        assertThrows(NullPointerException.class, () -> new Binding("a", null, 1, "i", 1, 0));
        assertThrows(NullPointerException.class, () -> new Binding("a", "c", 1, null, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Binding("a", " ", 1, "i", 1, 0));
    }
}
