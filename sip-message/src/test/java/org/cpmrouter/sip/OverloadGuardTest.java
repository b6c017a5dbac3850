package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The admission count alone; overload control over real SIP is in SipMessageOverloadTest and OverloadControlIT. */
class OverloadGuardTest {

    @Test
    void should_admit_up_to_the_limit_and_again_when_a_place_is_given_back() {
        OverloadGuard guard = new OverloadGuard(2, 5);
        assertTrue(guard.tryAdmit());
        assertTrue(guard.tryAdmit());
        assertTrue(guard.isFull());
        assertFalse(guard.tryAdmit());
        assertEquals(2, guard.inFlight());
        guard.release();
        assertFalse(guard.isFull());
        assertTrue(guard.tryAdmit());
    }

    @Test
    void should_admit_everything_but_still_count_when_off() {
        OverloadGuard guard = OverloadGuard.off();
        for (int i = 0; i < 1000; i++) {
            assertTrue(guard.tryAdmit());
        }
        assertFalse(guard.isFull());
        assertEquals(1000, guard.inFlight());
    }

    @Test
    void should_count_refusals() {
        OverloadGuard guard = new OverloadGuard(1, 3);
        guard.refused("a@b");
        guard.refused("c@d");
        assertEquals(2, guard.refusedTotal());
        assertEquals(3, guard.retryAfterSeconds());
    }

    @Test
    void should_refuse_a_negative_limit_or_a_retry_after_under_one_second_or_a_negative_burst() {
        assertThrows(IllegalArgumentException.class, () -> new OverloadGuard(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> new OverloadGuard(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new OverloadGuard(10, 5, -1));
    }

    @Test
    void should_refuse_behind_more_than_the_connection_backlog_and_never_when_off() {
        OverloadGuard guard = new OverloadGuard(100, 5, 0, 1024);
        assertFalse(guard.behindBacklog(1024));
        assertTrue(guard.behindBacklog(1025));
        assertFalse(new OverloadGuard(100, 5, 0, 0).behindBacklog(Integer.MAX_VALUE), "no backlog bound");
        assertFalse(new OverloadGuard(0, 5, 0, 1024).behindBacklog(Integer.MAX_VALUE), "overload control off");
        assertThrows(IllegalArgumentException.class, () -> new OverloadGuard(10, 5, 0, -1));
        guard.refusedBehindBacklog("call-1", 4096);
        assertEquals(1, guard.refusedTotal());
    }

    @Test
    void should_admit_a_burst_past_the_bound_up_to_ten_times_it() {
        OverloadGuard guard = new OverloadGuard(2, 5, 60_000);
        for (int i = 0; i < 2 * OverloadGuard.BURST_FACTOR; i++) {
            assertFalse(guard.isFull(), "place " + i);
            assertTrue(guard.tryAdmit(), "place " + i);
        }
        assertTrue(guard.isFull());
        assertFalse(guard.tryAdmit());
        assertEquals(20, guard.inFlight());
    }

    @Test
    void should_refuse_once_the_count_stayed_past_the_bound_longer_than_the_burst() throws InterruptedException {
        OverloadGuard guard = new OverloadGuard(2, 5, 50);
        assertTrue(guard.tryAdmit());
        assertTrue(guard.tryAdmit());
        assertTrue(guard.tryAdmit()); // past the bound: the burst starts
        Thread.sleep(80);
        assertTrue(guard.isFull());
        assertFalse(guard.tryAdmit());
    }

    @Test
    void should_start_a_new_burst_once_the_count_was_back_under_the_bound() throws InterruptedException {
        OverloadGuard guard = new OverloadGuard(2, 5, 50);
        guard.tryAdmit();
        guard.tryAdmit();
        assertTrue(guard.tryAdmit());
        Thread.sleep(80);
        guard.release();
        guard.release(); // 1 in flight: the burst is over
        assertTrue(guard.tryAdmit());
        assertTrue(guard.tryAdmit()); // past the bound again: a new burst, no refusal so far
        assertEquals(3, guard.inFlight());
    }

    @Test
    void should_allow_no_burst_for_a_second_after_a_refusal() {
        OverloadGuard guard = new OverloadGuard(2, 5, 60_000);
        guard.tryAdmit();
        guard.tryAdmit();
        guard.refused("a@b"); // as the node records a refusal, early or late
        assertTrue(guard.isFull());
        assertFalse(guard.tryAdmit());
        guard.release();
        assertTrue(guard.tryAdmit()); // under the bound: always admitted
        assertFalse(guard.tryAdmit());
    }

    @Test
    void should_keep_a_strict_bound_without_a_burst_allowance() {
        OverloadGuard guard = new OverloadGuard(3, 5, 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(guard.tryAdmit());
        }
        assertFalse(guard.tryAdmit());
        assertEquals(0, guard.burstMillis());
    }
}
