package org.cpmrouter.routes.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The audit file's lines for what the router did: one JSON object, fields in the caller's order, escaped. */
class EventAuditTest {

    @Test
    void should_write_time_event_then_the_fields_in_order_with_values_escaped() {
        assertEquals("{\"time\":\"2030-01-01T10:00:00Z\",\"event\":\"report\",\"callId\":\"c1\","
                        + "\"cause\":\"answered 603 \\\"Decline\\\"\\n\",\"rule\":null}",
                EventAudit.line(Instant.parse("2030-01-01T10:00:00Z"), "report", "callId", "c1",
                        "cause", "answered 603 \"Decline\"\n", "rule", null));
    }

    @Test
    void should_refuse_a_field_without_a_value() {
        assertThrows(IllegalArgumentException.class, () -> EventAudit.line(Instant.EPOCH, "report", "callId"));
    }
}
