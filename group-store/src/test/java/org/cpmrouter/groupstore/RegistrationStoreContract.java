package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link RegistrationStore} must have; subclasses supply the implementation. */
abstract class RegistrationStoreContract {

    static final String AOR = "sip:alice@cpm.example.com";
    static final String PHONE = "sip:alice@192.0.2.10:5060;transport=tcp";
    static final String LAPTOP = "sip:alice@192.0.2.20:5070;transport=tls";

    final MutableClock clock = MutableClock.atSomeInstant();
    RegistrationStore store;

    /** Creates an empty store for one test, reading time from {@code clock}. */
    abstract RegistrationStore createStore(MutableClock clock);

    @BeforeEach
    void createEmptyStore() {
        store = createStore(clock);
    }

    @Test
    void should_return_the_binding_with_its_expiry_when_bound() {
        long now = clock.millis();

        Binding binding = store.bind(AOR, PHONE, 3600, "call-1@192.0.2.10", 1);

        Binding expected = new Binding(AOR, PHONE, now + 3_600_000, "call-1@192.0.2.10", 1, now);
        assertEquals(expected, binding);
        assertEquals(List.of(expected), store.activeBindings(AOR));
        assertEquals(3600, store.activeBindings(AOR).get(0).remainingSeconds(clock.millis()));
    }

    @Test
    void should_keep_the_path_of_a_registration_through_a_proxy_and_replace_it_on_refresh() {
        List<String> path = List.of("<sip:pcscf.visited.example;lr>", "<sip:127.0.0.1:5070;lr;ob>");

        store.bind(AOR, PHONE, 3600, "call-1", 1, path);
        assertEquals(path, store.activeBindings(AOR).get(0).path());

        store.bind(AOR, PHONE, 3600, "call-1", 2);
        assertEquals(List.of(), store.activeBindings(AOR).get(0).path(), "the newest REGISTER's Path counts");
    }

    @Test
    void should_return_empty_list_when_aor_never_bound() {
        store.bind(AOR, PHONE, 60, "c", 1);

        assertEquals(List.of(), store.activeBindings("sip:bob@cpm.example.com"));
    }

    @Test
    void should_list_most_recently_updated_first_when_several_contacts_bound() {
        store.bind(AOR, PHONE, 3600, "call-phone", 1);
        clock.advance(Duration.ofSeconds(5));
        store.bind(AOR, LAPTOP, 3600, "call-laptop", 1);

        assertEquals(List.of(LAPTOP, PHONE), contacts(store.activeBindings(AOR)));
    }

    @Test
    void should_replace_the_binding_when_the_same_contact_is_bound_again() {
        store.bind(AOR, PHONE, 60, "call-phone", 1);
        clock.advance(Duration.ofSeconds(1));
        store.bind(AOR, LAPTOP, 60, "call-laptop", 1);
        clock.advance(Duration.ofSeconds(1));

        Binding refreshed = store.bind(AOR, PHONE, 600, "call-phone", 2);

        List<Binding> active = store.activeBindings(AOR);
        assertEquals(List.of(PHONE, LAPTOP), contacts(active));
        assertEquals(refreshed, active.get(0));
        assertEquals(2, active.get(0).cseq());
        assertEquals(600, active.get(0).remainingSeconds(clock.millis()));
    }

    @Test
    void should_not_return_a_binding_when_it_has_expired() {
        store.bind(AOR, PHONE, 60, "call-phone", 1);
        store.bind(AOR, LAPTOP, 120, "call-laptop", 1);

        clock.advance(Duration.ofSeconds(59));
        assertEquals(Set.of(PHONE, LAPTOP), Set.copyOf(contacts(store.activeBindings(AOR))));
        assertEquals(1, store.activeBindings(AOR).stream()
                .filter(b -> b.contact().equals(PHONE)).findFirst().orElseThrow().remainingSeconds(clock.millis()));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(LAPTOP), contacts(store.activeBindings(AOR)), "expired exactly at its expiry time");

        clock.advance(Duration.ofSeconds(60));
        assertEquals(List.of(), store.activeBindings(AOR));
    }

    @Test
    void should_drop_expired_bindings_when_the_entry_is_next_updated() {
        long start = clock.millis();
        store.bind(AOR, PHONE, 60, "call-phone", 1);
        clock.advance(Duration.ofSeconds(61));

        store.bind(AOR, LAPTOP, 60, "call-laptop", 1);

        clock.set(start); // look back in time: the phone binding would be active again if it had been kept
        assertEquals(List.of(LAPTOP), contacts(store.activeBindings(AOR)));
    }

    @Test
    void should_remove_only_that_contact_when_unbound() {
        store.bind(AOR, PHONE, 60, "call-phone", 1);
        store.bind(AOR, LAPTOP, 60, "call-laptop", 1);

        assertTrue(store.unbind(AOR, PHONE));

        assertEquals(List.of(LAPTOP), contacts(store.activeBindings(AOR)));
        assertFalse(store.unbind(AOR, PHONE), "already removed");
    }

    @Test
    void should_return_false_when_unbinding_unknown_or_expired_contact() {
        store.bind(AOR, PHONE, 60, "call-phone", 1);

        assertFalse(store.unbind("sip:bob@cpm.example.com", PHONE));
        assertFalse(store.unbind(AOR, LAPTOP));
        clock.advance(Duration.ofSeconds(60));
        assertFalse(store.unbind(AOR, PHONE));
        assertEquals(List.of(), store.activeBindings(AOR));
    }

    @Test
    void should_allow_binding_again_when_the_last_contact_was_unbound() {
        store.bind(AOR, PHONE, 60, "call-phone", 1);
        assertTrue(store.unbind(AOR, PHONE));
        assertEquals(List.of(), store.activeBindings(AOR));

        store.bind(AOR, LAPTOP, 60, "call-laptop", 1);

        assertEquals(List.of(LAPTOP), contacts(store.activeBindings(AOR)));
    }

    @Test
    void should_remove_every_contact_and_count_the_active_ones_when_unbinding_all() {
        store.bind(AOR, PHONE, 60, "call-phone", 1);
        store.bind(AOR, LAPTOP, 600, "call-laptop", 1);
        store.bind(AOR, "sip:alice@192.0.2.30", 600, "call-tablet", 1);
        store.bind("sip:bob@cpm.example.com", PHONE, 600, "call-bob", 1);
        clock.advance(Duration.ofSeconds(60)); // the phone binding of alice has expired

        assertEquals(2, store.unbindAll(AOR));

        assertEquals(List.of(), store.activeBindings(AOR));
        assertEquals(0, store.unbindAll(AOR));
        assertEquals(1, store.activeBindings("sip:bob@cpm.example.com").size());
    }

    @Test
    void should_reject_bind_when_expires_is_not_positive() {
        assertThrows(IllegalArgumentException.class, () -> store.bind(AOR, PHONE, 0, "c", 1));
        assertThrows(IllegalArgumentException.class, () -> store.bind(AOR, PHONE, -5, "c", 1));
        assertEquals(List.of(), store.activeBindings(AOR));
    }

    @Test
    void should_lose_no_binding_when_many_threads_bind_different_contacts_to_the_same_aor() throws Exception {
        int contactsCount = 200;
        List<Callable<Binding>> tasks = new ArrayList<>();
        for (int i = 0; i < contactsCount; i++) {
            String contact = "sip:alice@192.0.2." + (i % 250) + ":" + (5000 + i);
            long cseq = i;
            tasks.add(() -> store.bind(AOR, contact, 3600, "call-" + cseq, cseq));
        }

        List<Binding> bound = Concurrently.run(16, tasks);

        Set<String> expected = bound.stream().map(Binding::contact).collect(Collectors.toSet());
        List<Binding> active = store.activeBindings(AOR);
        assertEquals(contactsCount, expected.size());
        assertEquals(contactsCount, active.size());
        assertEquals(expected, new HashSet<>(contacts(active)));
    }

    static List<String> contacts(List<Binding> bindings) {
        return bindings.stream().map(Binding::contact).toList();
    }
}
