package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

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
}
