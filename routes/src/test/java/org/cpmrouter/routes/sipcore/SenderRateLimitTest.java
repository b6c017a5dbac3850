package org.cpmrouter.routes.sipcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.cpmrouter.routes.auth.TemporaryGrant;
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
    void should_exempt_only_the_named_sender_and_only_until_the_exemption_is_closed() {
        SenderRateLimit limit = new SenderRateLimit(1, 2, clock::get);
        try (TemporaryGrant warmUp = limit.exempt("sip:cpm-warm-up-1-a@cpm.example.com")) {
            for (int i = 0; i < 1_000; i++) {
                limit.acquire("sip:cpm-warm-up-1-a@cpm.example.com");
            }
            limit.acquire("sip:alice@cpm.example.com");
            limit.acquire("sip:alice@cpm.example.com");
            assertThrows(SipResponseException.class, () -> limit.acquire("sip:alice@cpm.example.com"));
        }
        assertEquals(1, limit.refusals(), "only alice's third message was refused");
        limit.acquire("sip:cpm-warm-up-1-a@cpm.example.com");
        limit.acquire("sip:cpm-warm-up-1-a@cpm.example.com");
        assertThrows(SipResponseException.class, () -> limit.acquire("sip:cpm-warm-up-1-a@cpm.example.com"));
    }
}
