package org.cpmrouter.routes.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The loop and storm guard: a cap per sender per second, and one report per event. */
class ReportRateLimitTest {

    private static final String ALICE = "sip:alice@cpm.example.com";

    private Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void should_let_through_the_cap_in_one_second_and_refuse_the_next() {
        ReportRateLimit first = new ReportRateLimit(3, at("2030-01-01T10:00:00.100Z"));
        for (int i = 0; i < 3; i++) {
            assertNull(first.refusal(ALICE, "m" + i + "|bob|FAILED"));
        }
        assertEquals("rate limit: 3 reports per second to one sender", first.refusal(ALICE, "m3|bob|FAILED"));
        assertNull(first.refusal("sip:bob@cpm.example.com", "m4|alice|FAILED"), "other senders have their own cap");
    }

    @Test
    void should_start_a_new_count_in_the_next_second() {
        java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(
                Instant.parse("2030-01-01T10:00:00.900Z").toEpochMilli());
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.get());
            }
        };
        ReportRateLimit limit = new ReportRateLimit(1, moving);
        assertNull(limit.refusal(ALICE, "m1|bob|FAILED"));
        assertEquals("rate limit: 1 reports per second to one sender", limit.refusal(ALICE, "m2|bob|FAILED"));

        millis.addAndGet(200); // 10:00:01.100
        assertNull(limit.refusal(ALICE, "m2|bob|FAILED"));
    }

    @Test
    void should_report_an_event_once() {
        ReportRateLimit limit = new ReportRateLimit(10, at("2030-01-01T10:00:00Z"));
        assertNull(limit.refusal(ALICE, "m1|bob|FAILED"));
        assertEquals("already reported", limit.refusal(ALICE, "m1|bob|FAILED"));
        assertNull(limit.refusal(ALICE, "m1|carol|FAILED"), "another member of the group is another event");
    }

    @Test
    void should_refuse_a_cap_below_one_naming_the_setting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReportRateLimit(0, Clock.systemUTC()));
        assertEquals("cpm.reports.max-per-sender-per-second must be at least 1, got 0", e.getMessage());
    }
}
