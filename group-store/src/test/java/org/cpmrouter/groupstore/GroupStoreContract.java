package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link GroupStore} must have; subclasses supply the implementation. */
abstract class GroupStoreContract {

    static final String FAMILY_URI = "sip:family@cpm.example.com";
    static final String ALICE = "sip:alice@cpm.example.com";
    static final String BOB = "sip:bob@cpm.example.com";
    static final String CAROL = "sip:carol@cpm.example.com";
    static final Group FAMILY = Group.of(FAMILY_URI, "Family", List.of(ALICE, BOB));

    GroupStore store;

    /** Creates an empty store for one test. */
    abstract GroupStore createStore();

    @BeforeEach
    void createEmptyStore() {
        store = createStore();
    }

    @Test
    void should_find_the_group_with_every_field_when_created() {
        Group group = new Group("sip:friends@cpm.example.com", "Friends", List.of(BOB, ALICE), SendPolicy.ALLOW_LIST,
                List.of(CAROL, "tel:+15551230003"), List.of("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"));

        assertTrue(store.create(group));

        assertEquals(Optional.of(group), store.find(group.uri()));
        assertEquals(List.of(BOB, ALICE), store.members(group.uri()), "member order is kept");
        assertTrue(store.isMember(group.uri(), ALICE));
        assertFalse(store.isMember(group.uri(), CAROL), "an allowed sender is not a member");
    }

    @Test
    void should_find_a_group_created_after_a_lookup_found_none() {
        assertEquals(Optional.empty(), store.find(FAMILY_URI), "asked before it exists (a store may keep the answer)");
        store.create(FAMILY);
        assertEquals(Optional.of(FAMILY), store.find(FAMILY_URI));
        store.addMember(FAMILY_URI, CAROL);
        assertTrue(store.find(FAMILY_URI).orElseThrow().members().contains(CAROL), "and its later changes");
    }

    @Test
    void should_return_empty_or_false_when_the_group_is_unknown() {
        store.create(FAMILY);

        assertEquals(Optional.empty(), store.find("sip:nobody@cpm.example.com"));
        assertEquals(List.of(), store.members("sip:nobody@cpm.example.com"));
        assertFalse(store.isMember("sip:nobody@cpm.example.com", ALICE));
        assertEquals(Optional.empty(), store.find(FAMILY_URI + " "), "lookup is exact");
    }

    @Test
    void should_refuse_and_keep_the_existing_group_when_created_twice() {
        store.create(FAMILY);

        assertFalse(store.create(Group.of(FAMILY_URI, "Impostor", List.of(CAROL))));

        assertEquals(Optional.of(FAMILY), store.find(FAMILY_URI));
        assertEquals(1, store.count());
    }

    @Test
    void should_replace_and_return_the_previous_group_when_put() {
        assertEquals(Optional.empty(), store.put(FAMILY));
        Group replaced = FAMILY.withMembers(List.of(CAROL));

        assertEquals(Optional.of(FAMILY), store.put(replaced));

        assertEquals(Optional.of(replaced), store.find(FAMILY_URI));
        assertEquals(1, store.count());
    }

    @Test
    void should_apply_the_change_and_return_the_new_group_when_updated() {
        store.create(FAMILY);

        Optional<Group> updated = store.update(FAMILY_URI,
                g -> new Group(g.uri(), "Family & friends", g.members(), SendPolicy.DOMAIN_SUBSCRIBERS,
                        g.allowedSenders(), g.supportedServices()));

        Group expected = new Group(FAMILY_URI, "Family & friends", List.of(ALICE, BOB), SendPolicy.DOMAIN_SUBSCRIBERS,
                List.of(), List.of());
        assertEquals(Optional.of(expected), updated);
        assertEquals(Optional.of(expected), store.find(FAMILY_URI));
    }

    @Test
    void should_create_nothing_when_updating_an_unknown_group() {
        assertEquals(Optional.empty(), store.update(FAMILY_URI, g -> g.withMember(ALICE)));

        assertEquals(0, store.count());
    }

    @Test
    void should_throw_and_change_nothing_when_an_update_renames_the_group_or_returns_null() {
        store.create(FAMILY);

        assertThrows(IllegalArgumentException.class,
                () -> store.update(FAMILY_URI, g -> Group.of("sip:other@cpm.example.com", "x", g.members())));
        assertThrows(IllegalArgumentException.class, () -> store.update(FAMILY_URI, g -> null));

        assertEquals(List.of(FAMILY), store.list());
    }

    @Test
    void should_add_a_member_once_when_added_twice() {
        store.create(FAMILY);

        assertTrue(store.addMember(FAMILY_URI, CAROL));
        assertFalse(store.addMember(FAMILY_URI, CAROL), "already a member");

        assertEquals(List.of(ALICE, BOB, CAROL), store.members(FAMILY_URI));
    }

    @Test
    void should_remove_a_member_and_return_false_when_not_a_member() {
        store.create(FAMILY);

        assertTrue(store.removeMember(FAMILY_URI, ALICE));
        assertFalse(store.removeMember(FAMILY_URI, ALICE));
        assertFalse(store.isMember(FAMILY_URI, ALICE));

        assertEquals(List.of(BOB), store.members(FAMILY_URI));
    }

    @Test
    void should_return_false_and_create_nothing_when_changing_members_of_an_unknown_group() {
        assertFalse(store.addMember(FAMILY_URI, ALICE));
        assertFalse(store.removeMember(FAMILY_URI, ALICE));

        assertEquals(0, store.count());
    }

    @Test
    void should_delete_the_group_and_allow_creating_it_again() {
        store.create(FAMILY);

        assertTrue(store.delete(FAMILY_URI));
        assertFalse(store.delete(FAMILY_URI));
        assertEquals(Optional.empty(), store.find(FAMILY_URI));

        assertTrue(store.create(Group.of(FAMILY_URI, "Family again", List.of(CAROL))));
        assertEquals(List.of(CAROL), store.members(FAMILY_URI));
    }

    @Test
    void should_list_sorted_by_uri_and_count_when_created_in_any_order() {
        Group work = Group.of("sip:work@cpm.example.com", "Work", List.of(BOB));
        Group book = Group.of("sip:book-club@cpm.example.com", "Book club", List.of(CAROL));
        store.create(work);
        store.create(FAMILY);
        store.create(book);

        assertEquals(List.of(book, FAMILY, work), store.list());
        assertEquals(3, store.count());
    }

    @Test
    void should_be_empty_when_nothing_created() {
        assertEquals(List.of(), store.list());
        assertEquals(0, store.count());
    }

    @Test
    void should_lose_no_member_when_many_threads_add_different_members_to_one_group_at_once() throws Exception {
        store.create(Group.of(FAMILY_URI, "Family", List.of()));
        int membersCount = 200;
        List<Callable<Boolean>> tasks = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < membersCount; i++) {
            String member = "sip:user" + i + "@cpm.example.com";
            expected.add(member);
            tasks.add(() -> store.addMember(FAMILY_URI, member));
        }

        List<Boolean> added = Concurrently.run(16, tasks);

        assertTrue(added.stream().allMatch(a -> a), "every add reports a change");
        List<String> members = store.members(FAMILY_URI);
        assertEquals(membersCount, members.size());
        assertEquals(new HashSet<>(expected), new HashSet<>(members));
    }

    @Test
    void should_let_exactly_one_creator_win_when_many_create_the_same_group_at_once() throws Exception {
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Group candidate = Group.of(FAMILY_URI, "Family " + i, List.of("sip:user" + i + "@cpm.example.com"));
            tasks.add(() -> store.create(candidate));
        }

        List<Boolean> results = Concurrently.run(8, tasks);

        assertEquals(1, results.stream().filter(created -> created).count());
        assertEquals(1, store.count());
    }
}
