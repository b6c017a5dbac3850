package org.cpmrouter.groupstore;

import java.util.Objects;
import java.util.function.UnaryOperator;

/** Checks shared by the group stores: a change keeps the group's URI and never returns null. */
final class GroupChanges {

    private GroupChanges() {
    }

    /** Applies {@code change} to {@code current} and checks the result. */
    static Group apply(Group current, UnaryOperator<Group> change) {
        Group next = change.apply(current);
        if (next == null) {
            throw new IllegalArgumentException("a group change returned null for " + current.uri()
                    + "; use delete to remove a group");
        }
        if (!next.uri().equals(current.uri())) {
            throw new IllegalArgumentException("a group change cannot rename " + current.uri() + " to " + next.uri());
        }
        return next;
    }

    /** Adds {@code identity} unless it is already a member. */
    static UnaryOperator<Group> adding(String identity) {
        Objects.requireNonNull(identity, "identity");
        return g -> g.isMember(identity) ? g : g.withMember(identity);
    }

    /** Removes {@code identity} if it is a member. */
    static UnaryOperator<Group> removing(String identity) {
        Objects.requireNonNull(identity, "identity");
        return g -> g.isMember(identity) ? g.withoutMember(identity) : g;
    }
}
