package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BanStore} does: ban, find, list, lift, forget an ended ban, and tell its watchers. */
abstract class BanStoreContract {

    final MutableClock clock = MutableClock.atSomeInstant();
    BanStore store;

    abstract BanStore createStore();

    @BeforeEach
    void create() {
        store = createStore();
    }

    private Ban ban(String address, long seconds) {
        return new Ban(address, "auth-failures", 20, clock.millis(), clock.millis() + seconds * 1000);
    }

    @Test
    void should_find_and_list_a_ban_until_it_is_lifted() {
        Ban ban = ban("127.0.0.2", 300);
        store.ban(ban);
        store.ban(ban("127.0.0.3", 300));

        assertEquals(Optional.of(ban), store.find("127.0.0.2"));
        assertEquals(List.of("127.0.0.2", "127.0.0.3"), store.all().stream().map(Ban::address).toList());
        assertTrue(store.lift("127.0.0.2"));
        assertEquals(Optional.empty(), store.find("127.0.0.2"));
        assertFalse(store.lift("127.0.0.2"), "nothing left to lift");
        assertEquals(List.of("127.0.0.3"), store.all().stream().map(Ban::address).toList());
    }

    @Test
    void should_not_find_a_ban_that_has_ended() {
        store.ban(ban("127.0.0.2", 300));
        clock.advance(Duration.ofSeconds(301));

        assertEquals(Optional.empty(), store.find("127.0.0.2"));
        assertEquals(List.of(), store.all());
    }

    @Test
    void should_tell_its_watchers_the_address_of_each_ban_set_and_lifted() {
        List<String> changed = new CopyOnWriteArrayList<>();
        store.watch(changed::add);

        store.ban(ban("127.0.0.2", 300));
        store.lift("127.0.0.2");

        assertEquals(List.of("127.0.0.2", "127.0.0.2"), changed);
    }
}
