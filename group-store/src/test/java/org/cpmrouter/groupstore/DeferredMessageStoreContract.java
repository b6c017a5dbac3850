package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link DeferredMessageStore} must have; subclasses supply the implementation. */
abstract class DeferredMessageStoreContract {

    static final String CAROL = "sip:carol@cpm.example.com";
    static final DeferredMessageStore.Limits ROOMY = new DeferredMessageStore.Limits(1000, 10_000_000);

    DeferredMessageStore store;

    abstract DeferredMessageStore createStore();

    @BeforeEach
    void createEmptyStore() {
        store = createStore();
    }

    static HeldMessage message(String recipient, String text, long expiresAt) {
        return HeldMessage.forAnyDevice(recipient, 1_000, expiresAt, "call-" + text, "id-" + text,
                "sip:alice@cpm.example.com", List.of("From: <sip:alice@cpm.example.com>;tag=1",
                        "Content-Type: text/plain"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_give_back_a_recipients_messages_in_arrival_order_byte_for_byte() {
        store.hold(message(CAROL, "one", 10_000), ROOMY);
        store.hold(message(CAROL, "two", 10_000), ROOMY);
        store.hold(message("sip:dave@cpm.example.com", "other", 10_000), ROOMY);
        store.hold(message(CAROL, "three", 10_000), ROOMY);

        List<HeldMessage> held = store.heldFor(CAROL);

        assertEquals(List.of("id-one", "id-two", "id-three"), held.stream().map(HeldMessage::messageId).toList());
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), held.get(1).body());
        assertEquals(message(CAROL, "two", 10_000).headerLines(), held.get(1).headerLines());
        assertTrue(held.get(0).sequence() < held.get(1).sequence() && held.get(1).sequence() < held.get(2).sequence());
    }

    @Test
    void should_forget_a_message_once_removed_and_keep_the_others() {
        HeldMessage one = store.hold(message(CAROL, "one", 10_000), ROOMY);
        store.hold(message(CAROL, "two", 10_000), ROOMY);

        assertTrue(store.remove(CAROL, one.sequence()));
        assertFalse(store.remove(CAROL, one.sequence()));

        assertEquals(List.of("id-two"), store.heldFor(CAROL).stream().map(HeldMessage::messageId).toList());
        assertEquals(1, store.summary(CAROL).count());
    }

    @Test
    void should_keep_which_devices_are_still_owed_a_message() {
        HeldMessage one = store.hold(message(CAROL, "one", 10_000), ROOMY);

        assertTrue(store.update(one.owing(false, Set.of("urn:uuid:laptop"), 1, 5_000)));

        HeldMessage updated = store.heldFor(CAROL).get(0);
        assertFalse(updated.isOwedTo("urn:uuid:phone"));
        assertTrue(updated.isOwedTo("urn:uuid:laptop"));
        assertEquals(1, updated.attempts());
        assertEquals(5_000, updated.nextAttemptAtMillis());
    }

    @Test
    void should_refuse_past_the_cap_per_recipient_and_the_total_bytes() {
        DeferredMessageStore.Limits two = new DeferredMessageStore.Limits(2, 10_000_000);
        store.hold(message(CAROL, "one", 10_000), two);
        store.hold(message(CAROL, "two", 10_000), two);

        DeferredMessageStore.HoldRefused full = assertThrows(DeferredMessageStore.HoldRefused.class,
                () -> store.hold(message(CAROL, "three", 10_000), two));
        assertEquals(DeferredMessageStore.HoldRefused.Limit.PER_RECIPIENT, full.limit());
        store.hold(message("sip:dave@cpm.example.com", "for dave", 10_000), two);

        long used = store.summary(CAROL).bytes() + store.summary("sip:dave@cpm.example.com").bytes();
        DeferredMessageStore.HoldRefused bytes = assertThrows(DeferredMessageStore.HoldRefused.class,
                () -> store.hold(message("sip:erin@cpm.example.com", "x", 10_000),
                        new DeferredMessageStore.Limits(1000, used + 10)));
        assertEquals(DeferredMessageStore.HoldRefused.Limit.TOTAL_BYTES, bytes.limit());
        assertEquals(0, store.summary("sip:erin@cpm.example.com").count());
    }

    @Test
    void should_remove_and_return_expired_messages_only() {
        store.hold(message(CAROL, "old", 5_000), ROOMY);
        store.hold(message(CAROL, "new", 50_000), ROOMY);

        List<HeldMessage> expired = store.removeExpired(10_000);

        assertEquals(List.of("id-old"), expired.stream().map(HeldMessage::messageId).toList());
        assertEquals(List.of("id-new"), store.heldFor(CAROL).stream().map(HeldMessage::messageId).toList());
        assertEquals(List.of(CAROL), store.recipients());
    }

    @Test
    void should_purge_a_recipient_and_list_only_recipients_with_messages() {
        store.hold(message(CAROL, "one", 10_000), ROOMY);
        store.hold(message(CAROL, "two", 10_000), ROOMY);

        assertEquals(2, store.purge(CAROL));

        assertEquals(List.of(), store.heldFor(CAROL));
        assertEquals(List.of(), store.recipients());
        assertEquals(0, store.summary(CAROL).count());
    }

    @Test
    void should_give_concurrent_holds_for_one_recipient_distinct_places() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HeldMessage>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String text = "m" + i;
                futures.add(pool.submit(() -> store.hold(message(CAROL, text, 10_000), ROOMY)));
            }
            for (Future<HeldMessage> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        List<HeldMessage> held = store.heldFor(CAROL);
        assertEquals(40, held.size());
        assertEquals(40, held.stream().map(HeldMessage::sequence).distinct().count());
    }
}
