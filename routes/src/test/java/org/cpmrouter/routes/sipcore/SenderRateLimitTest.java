package org.cpmrouter.routes.sipcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.cpmrouter.sip.SipResponseException;
import org.junit.jupiter.api.Test;

class SenderRateLimitTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void should_refuse_with_503_and_retry_after_when_a_sender_exceeds_burst_and_rate() {
        SenderRateLimit limit = new SenderRateLimit(2, 3, clock::get);
        for (int i = 0; i < 3; i++) {
            limit.acquire("sip:alice@cpm.example.com");
        }
        SipResponseException refused = assertThrows(SipResponseException.class,
                () -> limit.acquire("sip:alice@cpm.example.com"));
        assertEquals(503, refused.status());
        assertEquals(List.of("Retry-After: 1"), refused.headers());
        // another sender has its own allowance
        limit.acquire("sip:bob@cpm.example.com");
        // half a second later alice has earned one more message (2 per second)
        clock.addAndGet(500_000_000L);
        limit.acquire("sip:alice@cpm.example.com");
        assertThrows(SipResponseException.class, () -> limit.acquire("sip:alice@cpm.example.com"));
    }

    @Test
    void should_never_refuse_when_the_rate_is_zero() {
        SenderRateLimit off = new SenderRateLimit(0, 20, clock::get);
        for (int i = 0; i < 10_000; i++) {
            off.acquire("sip:alice@cpm.example.com");
        }
    }

    @Test
    void should_not_hold_an_exempt_sender_to_the_limit_and_hold_it_again_once_the_exemption_is_closed() {
        SenderRateLimit limit = new SenderRateLimit(1, 1, clock::get);
        try (SenderRateLimit.Exemption warmUp = limit.exempt("sip:warm-up@cpm.example.com")) {
            for (int i = 0; i < 1_000; i++) {
                limit.acquire("sip:warm-up@cpm.example.com");
            }
            limit.acquire("sip:alice@cpm.example.com");
            assertThrows(SipResponseException.class, () -> limit.acquire("sip:alice@cpm.example.com"));
        }
        limit.acquire("sip:warm-up@cpm.example.com");
        assertThrows(SipResponseException.class, () -> limit.acquire("sip:warm-up@cpm.example.com"));
        assertEquals(2, limit.refusals());
    }
}
