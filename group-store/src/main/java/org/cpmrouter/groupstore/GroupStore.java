package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The CPM Pre-defined Groups, in domain terms: the Controlling Function and the admin API use this and never see
 * a cache. Every change is atomic (no check-then-put), and a change is seen by the next lookup.
 */
public interface GroupStore {

    /** The group with this URI (exact, canonical string). */
    Optional<Group> find(String groupUri);

    /** Whether the identity is a member of the group; false when there is no such group. */
    default boolean isMember(String groupUri, String identity) {
        java.util.Objects.requireNonNull(identity, "identity");
        return find(groupUri).map(g -> g.isMember(identity)).orElse(false);
    }

    /** The members of the group, in order; empty when there is no such group. */
    default List<String> members(String groupUri) {
        return find(groupUri).map(Group::members).orElse(List.of());
    }

    /** Creates the group if no group has its URI; returns false (and changes nothing) if one does. */
    boolean create(Group group);

    /** Creates or replaces the group as a whole (an imported document, a PUT). Returns the previous one. */
    Optional<Group> put(Group group);

    /**
     * Changes a group atomically: the function gets the current group and returns the new one (same URI).
     * Returns the new group, or empty when there is no such group (nothing is created).
     */
    Optional<Group> update(String groupUri, UnaryOperator<Group> change);

    /** Adds a member; false when the group does not exist or already has that member. */
    boolean addMember(String groupUri, String identity);

    /** Removes a member; false when the group does not exist or has no such member. */
    boolean removeMember(String groupUri, String identity);

    /** Deletes the group; false when there was none. */
    boolean delete(String groupUri);

    /** Every group, sorted by URI. */
    List<Group> list();

    long count();
}
