package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link SubscriberStore} must have; subclasses supply the implementation. */
abstract class SubscriberStoreContract {

    static final Subscriber ALICE = new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, false);
    static final Subscriber BOB = new Subscriber("sip:bob@cpm.example.com", List.of("tel:+15551230002"), true, false);

    SubscriberStore store;

    /** Creates an empty store for one test. */
    abstract SubscriberStore createStore();

    @BeforeEach
    void createEmptyStore() {
        store = createStore();
    }

    @Test
    void should_find_subscriber_by_sip_uri_and_by_alias_when_saved() {
        Subscriber alice = new Subscriber("sip:alice@cpm.example.com",
                List.of("tel:+15551230001", "tel:+15551230011"), true, true);
        store.save(alice);

        assertEquals(Optional.of(alice), store.findByIdentity("sip:alice@cpm.example.com"));
        assertEquals(Optional.of(alice), store.findByIdentity("tel:+15551230001"));
        assertEquals(Optional.of(alice), store.findByIdentity("tel:+15551230011"));
    }

    @Test
    void should_return_empty_when_identity_is_unknown() {
        store.save(ALICE);

        assertEquals(Optional.empty(), store.findByIdentity("sip:nobody@cpm.example.com"));
        assertEquals(Optional.empty(), store.findByIdentity("tel:+15551230001 "), "matching is exact");
    }

    @Test
    void should_replace_subscriber_and_stop_resolving_removed_aliases_when_saved_again() {
        store.save(ALICE);
        Subscriber changed = new Subscriber(ALICE.publicIdentity(), List.of("tel:+15559990001"), false, true);

        store.save(changed);

        assertEquals(Optional.of(changed), store.findByIdentity(ALICE.publicIdentity()));
        assertEquals(Optional.of(changed), store.findByIdentity("tel:+15559990001"));
        assertEquals(Optional.empty(), store.findByIdentity("tel:+15551230001"));
        assertEquals(1, store.count());
    }

    @Test
    void should_let_another_subscriber_take_an_alias_when_its_previous_owner_dropped_it() {
        store.save(ALICE);
        store.save(new Subscriber(ALICE.publicIdentity(), List.of(), true, false));
        Subscriber bob = new Subscriber(BOB.publicIdentity(), List.of("tel:+15551230001"), true, false);

        store.save(bob);

        assertEquals(Optional.of(bob), store.findByIdentity("tel:+15551230001"));
    }

    @Test
    void should_throw_and_change_nothing_when_alias_belongs_to_another_subscriber() {
        store.save(ALICE);
        store.save(BOB);
        Subscriber greedyBob = new Subscriber(BOB.publicIdentity(),
                List.of("tel:+15550000042", "tel:+15551230001"), false, true);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.save(greedyBob));

        assertTrue(e.getMessage().contains("tel:+15551230001"), e.getMessage());
        assertEquals(Optional.of(BOB), store.findByIdentity(BOB.publicIdentity()));
        assertEquals(Optional.of(BOB), store.findByIdentity("tel:+15551230002"));
        assertEquals(Optional.of(ALICE), store.findByIdentity("tel:+15551230001"));
        assertEquals(Optional.empty(), store.findByIdentity("tel:+15550000042"), "claim of the failed save released");
        assertEquals(List.of(ALICE, BOB), store.list());
    }

    @Test
    void should_throw_when_new_subscriber_uses_the_sip_uri_of_another_as_alias() {
        store.save(ALICE);
        Subscriber impostor = new Subscriber("sip:eve@cpm.example.com", List.of(ALICE.publicIdentity()), true, false);

        assertThrows(IllegalArgumentException.class, () -> store.save(impostor));

        assertEquals(Optional.empty(), store.findByIdentity("sip:eve@cpm.example.com"));
        assertEquals(1, store.count());
    }

    @Test
    void should_remove_subscriber_and_all_its_identities_when_removed() {
        store.save(ALICE);
        store.save(BOB);

        assertTrue(store.remove(ALICE.publicIdentity()));

        assertEquals(Optional.empty(), store.findByIdentity(ALICE.publicIdentity()));
        assertEquals(Optional.empty(), store.findByIdentity("tel:+15551230001"));
        assertEquals(List.of(BOB), store.list());
        store.save(new Subscriber("sip:new@cpm.example.com", List.of("tel:+15551230001"), true, false));
        assertEquals("sip:new@cpm.example.com", store.findByIdentity("tel:+15551230001").orElseThrow().publicIdentity());
    }

    @Test
    void should_return_false_when_removing_unknown_subscriber() {
        store.save(ALICE);

        assertFalse(store.remove("sip:nobody@cpm.example.com"));
        assertFalse(store.remove("tel:+15551230001"), "remove takes the public identity, not an alias");
        assertEquals(1, store.count());
    }

    @Test
    void should_list_sorted_by_public_identity_and_count_when_saved_in_any_order() {
        Subscriber carol = new Subscriber("sip:carol@cpm.example.com", List.of(), true, false);
        store.save(carol);
        store.save(ALICE);
        store.save(BOB);

        assertEquals(List.of(ALICE, BOB, carol), store.list());
        assertEquals(3, store.count());
    }

    @Test
    void should_be_empty_when_nothing_saved() {
        assertEquals(List.of(), store.list());
        assertEquals(0, store.count());
    }

    @Test
    void should_find_subscriber_by_digest_username_and_keep_credentials_when_saved_with_them() {
        Subscriber alice = ALICE.withCredentials(DigestCredentials.fromPassword("alice", "cpm.example.com", "pw-1"));
        store.save(alice);
        store.save(BOB);

        assertEquals(Optional.of(alice), store.findByDigestUsername("alice"));
        assertEquals(Optional.of(alice), store.findByIdentity("tel:+15551230001"));
        assertEquals(Optional.empty(), store.findByDigestUsername("bob"), "bob has no credentials");
        assertEquals(Optional.empty(), store.findByDigestUsername("sip:alice@cpm.example.com"));
        assertEquals(Optional.empty(), store.findByIdentity("digest-username:alice"), "a username is no identity");
    }

    @Test
    void should_follow_a_changed_username_and_forget_removed_credentials_when_saved_again() {
        store.save(ALICE.withCredentials(DigestCredentials.fromPassword("alice", "cpm.example.com", "pw-1")));
        Subscriber renamed = ALICE.withCredentials(DigestCredentials.fromPassword("alice2", "cpm.example.com", "pw-2"));

        store.save(renamed);
        assertEquals(Optional.empty(), store.findByDigestUsername("alice"));
        assertEquals(Optional.of(renamed), store.findByDigestUsername("alice2"));

        store.save(ALICE);
        assertEquals(Optional.empty(), store.findByDigestUsername("alice2"));
        assertTrue(store.remove(ALICE.publicIdentity()));
        store.save(BOB.withCredentials(DigestCredentials.fromPassword("alice2", "cpm.example.com", "pw-3")));
        assertEquals(BOB.publicIdentity(), store.findByDigestUsername("alice2").orElseThrow().publicIdentity());
    }

    @Test
    void should_throw_and_change_nothing_when_the_digest_username_belongs_to_another_subscriber() {
        store.save(ALICE.withCredentials(DigestCredentials.fromPassword("alice", "cpm.example.com", "pw-1")));
        Subscriber bobAsAlice = BOB.withCredentials(DigestCredentials.fromPassword("alice", "cpm.example.com", "x"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.save(bobAsAlice));

        assertTrue(e.getMessage().contains("digest username alice"), e.getMessage());
        assertEquals(Optional.empty(), store.findByIdentity(BOB.publicIdentity()));
        assertEquals(ALICE.publicIdentity(), store.findByDigestUsername("alice").orElseThrow().publicIdentity());
    }

    @Test
    void should_give_an_alias_to_exactly_one_subscriber_when_many_claim_it_at_once() throws Exception {
        int contenders = 16;
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            Subscriber s = new Subscriber("sip:user" + i + "@cpm.example.com", List.of("tel:+15550000000"), true, false);
            tasks.add(() -> {
                try {
                    store.save(s);
                    return true;
                } catch (IllegalArgumentException conflict) {
                    return false;
                }
            });
        }

        List<Boolean> results = Concurrently.run(8, tasks);

        assertEquals(1, results.stream().filter(ok -> ok).count());
        assertEquals(1, store.count());
        Subscriber winner = store.list().get(0);
        assertEquals(Optional.of(winner), store.findByIdentity("tel:+15550000000"));
    }
}
