package org.cpmrouter.routes.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class DigestNoncesTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final DigestNonces nonces = new DigestNonces("a shared secret of this cluster", 300, now::get);

    @Test
    void should_accept_its_own_nonce_until_it_expires_then_call_it_stale() {
        String nonce = nonces.issue();

        assertEquals(DigestNonces.Status.VALID, nonces.check(nonce));
        now.addAndGet(300_000);
        assertEquals(DigestNonces.Status.VALID, nonces.check(nonce));
        now.addAndGet(1);
        assertEquals(DigestNonces.Status.STALE, nonces.check(nonce));
        assertEquals(1_700_000_300_000L, nonces.expiresAt(nonce));
    }

    @Test
    void should_accept_the_nonces_of_another_node_with_the_same_secret_only() {
        String fromOtherNode = new DigestNonces("a shared secret of this cluster", 300, now::get).issue();
        String fromStranger = new DigestNonces("another secret, not ours at all", 300, now::get).issue();

        assertEquals(DigestNonces.Status.VALID, nonces.check(fromOtherNode));
        assertEquals(DigestNonces.Status.INVALID, nonces.check(fromStranger));
        assertEquals(nonces.opaque(), new DigestNonces("a shared secret of this cluster", 300, now::get).opaque());
    }

    @Test
    void should_refuse_forged_truncated_and_far_future_nonces() {
        String nonce = nonces.issue();
        // the first character: all six of its bits are data (the last one may carry unused padding bits, and a
        // change there can decode to the same bytes)
        char first = nonce.charAt(0);
        String tampered = (first == 'A' ? 'B' : 'A') + nonce.substring(1);

        assertEquals(DigestNonces.Status.INVALID, nonces.check(tampered));
        assertEquals(DigestNonces.Status.INVALID, nonces.check(nonce.substring(4)));
        assertEquals(DigestNonces.Status.INVALID, nonces.check("not base64 !"));
        assertEquals(DigestNonces.Status.INVALID, nonces.check(null));
        now.addAndGet(-120_000);
        assertEquals(DigestNonces.Status.INVALID, nonces.check(nonce), "issued two minutes in this node's future");
    }

    @Test
    void should_issue_a_different_nonce_each_time_and_sign_with_a_random_key_when_no_secret_is_set() {
        assertNotEquals(nonces.issue(), nonces.issue());
        DigestNonces random = new DigestNonces("", 300, now::get);
        assertEquals(DigestNonces.Status.VALID, random.check(random.issue()));
        assertEquals(DigestNonces.Status.INVALID, new DigestNonces("", 300, now::get).check(random.issue()));
    }
}
