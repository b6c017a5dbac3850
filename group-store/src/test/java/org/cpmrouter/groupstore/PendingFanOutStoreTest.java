package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal of accepted group messages: in memory, and on Infinispan across a restart. */
class PendingFanOutStoreTest {

    private static final PendingFanOut ACCEPTED = new PendingFanOut("call-1@cpm.example.com",
            "sip:family@cpm.example.com", "sip:alice@cpm.example.com",
            List.of("Conversation-ID: c1", "Contribution-ID: k1", "Accept-Contact: a", "Accept-Contact: b"),
            "From: <sip:alice@cpm.example.com>\r\n\r\nDinner".getBytes(StandardCharsets.UTF_8),
            List.of("sip:bob@cpm.example.com", "sip:carol@cpm.example.com"));

    @TempDir
    Path dataDir;

    private CpmDataStores stores;

    @AfterEach
    void stop() {
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void should_save_narrow_and_remove_in_memory() {
        exercise(new InMemoryPendingFanOutStore());
    }

    @Test
    void should_save_narrow_and_remove_on_infinispan() {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        exercise(stores.pendingFanOuts());
    }

    private static void exercise(PendingFanOutStore store) {
        assertEquals(List.of(), store.all());
        store.save(ACCEPTED);
        assertEquals(List.of(ACCEPTED), store.all());
        store.save(ACCEPTED.withRecipients(List.of("sip:carol@cpm.example.com")));
        assertEquals(List.of("sip:carol@cpm.example.com"), store.all().get(0).recipients());
        store.remove(ACCEPTED.id());
        assertEquals(List.of(), store.all());
    }

    @Test
    void should_keep_an_accepted_message_with_its_headers_and_body_across_a_restart() {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        stores.pendingFanOuts().save(ACCEPTED);
        stores.close();

        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        List<PendingFanOut> after = stores.pendingFanOuts().all();
        assertEquals(1, after.size());
        PendingFanOut restored = after.get(0);
        assertEquals(ACCEPTED, restored);
        assertEquals(ACCEPTED.headerLines(), restored.headerLines(), "order and repeated headers kept");
        assertArrayEquals(ACCEPTED.body(), restored.body());
        assertTrue(restored.toString().indexOf("Dinner") < 0, "never shows the body");
    }
}
