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
    void should_refuse_a_negative_limit_or_a_retry_after_under_one_second() {
        assertThrows(IllegalArgumentException.class, () -> new OverloadGuard(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> new OverloadGuard(10, 0));
    }
}
