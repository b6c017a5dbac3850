package org.cpmrouter.routes.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class NonceCountsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void should_accept_rising_counts_and_refuse_a_repeated_or_lower_one() {
        NonceCounts counts = new NonceCounts(10, now::get);

        assertEquals(NonceCounts.Outcome.ACCEPTED, counts.advance("n1", 1, 2_000_000));
        assertEquals(NonceCounts.Outcome.REPLAYED, counts.advance("n1", 1, 2_000_000));
        assertEquals(NonceCounts.Outcome.ACCEPTED, counts.advance("n1", 3, 2_000_000));
        assertEquals(NonceCounts.Outcome.REPLAYED, counts.advance("n1", 2, 2_000_000));
        assertEquals(NonceCounts.Outcome.ACCEPTED, counts.advance("n2", 1, 2_000_000), "counts are per nonce");
    }

    @Test
    void should_refuse_a_new_nonce_when_full_of_live_ones_and_make_room_as_they_expire() {
        NonceCounts counts = new NonceCounts(2, now::get);
        counts.advance("n1", 1, 1_500_000);
        counts.advance("n2", 1, 3_000_000);

        assertEquals(NonceCounts.Outcome.FULL, counts.advance("n3", 1, 3_000_000));
        assertEquals(NonceCounts.Outcome.ACCEPTED, counts.advance("n2", 2, 3_000_000), "a tracked nonce goes on");

        now.set(1_500_001);
        assertEquals(NonceCounts.Outcome.ACCEPTED, counts.advance("n3", 1, 3_000_000));
        assertEquals(2, counts.size());
    }
}
