package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.cpmrouter.groupstore.DeferredMessageStore.HoldRefused;
import org.infinispan.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deferred store contract against Infinispan with the shipped configuration, and that it survives a restart. */
class InfinispanDeferredMessageStoreTest extends DeferredMessageStoreContract {

    @TempDir
    Path dataDir;

    private CpmDataStores stores;

    @Override
    DeferredMessageStore createStore() {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        return stores.deferred();
    }

    @AfterEach
    void stop() {
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void should_keep_held_messages_and_their_order_across_a_restart() {
        store.hold(message(CAROL, "first", Long.MAX_VALUE / 2), ROOMY);
        store.hold(message(CAROL, "second", Long.MAX_VALUE / 2), ROOMY);
        stores.close();

        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        List<HeldMessage> held = stores.deferred().heldFor(CAROL);

        assertEquals(List.of("id-first", "id-second"), held.stream().map(HeldMessage::messageId).toList());
        assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), held.get(1).body());
        stores.deferred().hold(message(CAROL, "third", Long.MAX_VALUE / 2), ROOMY);
        assertEquals(3, stores.deferred().heldFor(CAROL).size());
    }

    @Test
    void should_rebuild_the_caps_from_the_held_messages_after_a_restart() {
        HeldMessage first = store.hold(message(CAROL, "first", Long.MAX_VALUE / 2), ROOMY);
        store.hold(message(CAROL, "second", Long.MAX_VALUE / 2), ROOMY);
        stores.close();

        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        DeferredMessageStore restarted = stores.deferred();

        long held = 2 * first.size();
        HoldRefused full = assertThrows(HoldRefused.class, () -> restarted.hold(message(CAROL, "third",
                Long.MAX_VALUE / 2), new DeferredMessageStore.Limits(1000, held + first.size() - 1)));
        assertEquals(HoldRefused.Limit.TOTAL_BYTES, full.limit());
        HoldRefused many = assertThrows(HoldRefused.class, () -> restarted.hold(message(CAROL, "third",
                Long.MAX_VALUE / 2), new DeferredMessageStore.Limits(2, 10_000_000)));
        assertEquals(HoldRefused.Limit.PER_RECIPIENT, many.limit());
        HeldMessage third = restarted.hold(message(CAROL, "third", Long.MAX_VALUE / 2), ROOMY);
        assertEquals(List.of("id-first", "id-second", "id-third"),
                restarted.heldFor(CAROL).stream().map(HeldMessage::messageId).toList());
        assertEquals(first.sequence() + 2, third.sequence());
    }

    @Test
    void should_drop_the_indexes_an_earlier_version_kept_among_the_messages() {
        store.hold(message(CAROL, "first", Long.MAX_VALUE / 2), ROOMY);
        Cache<String, Object> messages = stores.cacheManager().getCache(InfinispanDeferredMessageStore.DEFERRED_CACHE);
        messages.put("i|" + CAROL, new DeferredIndexEntity(7, List.of(1L, 5L), 99)); // as it was written before
        messages.put("t|", new DeferredIndexEntity(1, List.of(), 99));
        stores.close();

        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        messages = stores.cacheManager().getCache(InfinispanDeferredMessageStore.DEFERRED_CACHE);

        assertFalse(messages.containsKey("i|" + CAROL));
        assertFalse(messages.containsKey("t|"));
        assertEquals(List.of("id-first"),
                stores.deferred().heldFor(CAROL).stream().map(HeldMessage::messageId).toList());
    }
}
