package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal of accepted group messages: in memory, and on Infinispan across a restart; each answered member is
 * left out of what is still to send, and the record names its owner, which a later run takes over once.
 */
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
        PendingFanOut owned = ACCEPTED.withOwner(store.node().owner());
        assertEquals(List.of(owned), store.all(), "saved as this node's");
        store.save(ACCEPTED.withRecipients(List.of("sip:carol@cpm.example.com")));
        assertEquals(List.of("sip:carol@cpm.example.com"), store.all().get(0).recipients());
        store.remove(ACCEPTED.id());
        assertEquals(List.of(), store.all());
    }

    @Test
    void should_leave_out_each_answered_member_in_memory() {
        leaveOutAnswered(new InMemoryPendingFanOutStore());
    }

    @Test
    void should_leave_out_each_answered_member_on_infinispan() {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        leaveOutAnswered(stores.pendingFanOuts());
    }

    private static void leaveOutAnswered(PendingFanOutStore store) {
        store.save(ACCEPTED);
        store.answered(ACCEPTED.id(), "sip:bob@cpm.example.com");
        assertEquals(List.of("sip:carol@cpm.example.com"), store.all().get(0).recipients());
        assertEquals(List.of(), store.orphaned(), "this node's own record is no orphan");
        store.answered(java.util.Map.of(ACCEPTED.id(), List.of("sip:carol@cpm.example.com"), "another@cpm.example.com",
                List.of("sip:dave@cpm.example.com")));
        assertEquals(List.of(), store.all().get(0).recipients(), "a batch of answers");
        store.remove(ACCEPTED.id());
        assertEquals(List.of(), store.all());
    }

    @Test
    void should_give_the_next_run_the_previous_runs_record_without_its_answered_members_once() {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        stores.pendingFanOuts().save(ACCEPTED);
        stores.pendingFanOuts().answered(ACCEPTED.id(), "sip:bob@cpm.example.com");
        String previous = stores.node().owner();
        stores.close();

        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        PendingFanOutStore store = stores.pendingFanOuts();
        List<PendingFanOut> orphans = store.orphaned();
        assertEquals(1, orphans.size(), "a previous run's record is an orphan");
        assertEquals(previous, orphans.get(0).owner());
        Optional<PendingFanOut> taken = store.takeOver(orphans.get(0));
        assertTrue(taken.isPresent());
        assertEquals(List.of("sip:carol@cpm.example.com"), taken.get().recipients(), "bob answered: not again");
        assertEquals(store.node().owner(), taken.get().owner());
        assertFalse(store.takeOver(orphans.get(0)).isPresent(), "taken once: its owner is no longer the old one");
        assertEquals(List.of(), store.orphaned());
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
        assertEquals(ACCEPTED.withOwner(stores.node().owner()), restored.withOwner(stores.node().owner()));
        assertTrue(restored.owner().startsWith("standalone/"), restored.owner());
        assertEquals(ACCEPTED.headerLines(), restored.headerLines(), "order and repeated headers kept");
        assertArrayEquals(ACCEPTED.body(), restored.body());
        assertTrue(restored.toString().indexOf("Dinner") < 0, "never shows the body");
    }
}
