package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class DecodedReadCacheTest {

    private static final Subscriber ALICE =
            new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, false);
    private static final Subscriber ALICE_BARRED =
            new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, true);

    @Test
    void should_ask_the_store_once_until_a_write() {
        DecodedReadCache<Optional<Subscriber>> cache = new DecodedReadCache<>(10);
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.of(ALICE), cache.get(ALICE.publicIdentity(), key -> {
                loads.incrementAndGet();
                return Optional.of(ALICE);
            }));
        }
        assertEquals(1, loads.get());

        cache.invalidateAll();
        assertEquals(Optional.of(ALICE_BARRED), cache.get(ALICE.publicIdentity(), key -> Optional.of(ALICE_BARRED)));
    }

    @Test
    void should_not_keep_an_answer_read_while_a_write_ran() {
        DecodedReadCache<Optional<Subscriber>> cache = new DecodedReadCache<>(10);
        // the store answers with the old subscriber, and the write lands before the answer is stored
        Optional<Subscriber> raced = cache.get(ALICE.publicIdentity(), key -> {
            cache.invalidateAll();
            return Optional.of(ALICE);
        });
        assertEquals(Optional.of(ALICE), raced, "the reader itself gets what it read");
        assertEquals(0, cache.size());
        assertEquals(Optional.of(ALICE_BARRED), cache.get(ALICE.publicIdentity(), key -> Optional.of(ALICE_BARRED)));
    }

    @Test
    void should_drop_one_key_and_keep_the_others() {
        DecodedReadCache<Optional<Subscriber>> cache = new DecodedReadCache<>(10);
        cache.get("a", key -> Optional.of(ALICE));
        cache.get("b", key -> Optional.of(ALICE));
        cache.invalidate("a");
        assertEquals(1, cache.size());
        assertEquals(Optional.of(ALICE_BARRED), cache.get("a", key -> Optional.of(ALICE_BARRED)));
        assertEquals(Optional.of(ALICE), cache.get("b", key -> Optional.of(ALICE_BARRED)));
    }

    @Test
    void should_start_over_when_full() {
        DecodedReadCache<Optional<Subscriber>> cache = new DecodedReadCache<>(3);
        for (int i = 0; i < 7; i++) {
            cache.get("tel:+1555000000" + i, key -> Optional.empty());
        }
        assertEquals(1, cache.size());
        assertThrows(IllegalArgumentException.class, () -> new DecodedReadCache<>(0));
    }
}
