package org.cpmrouter.groupstore;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A {@link GroupStore} held in a {@link ConcurrentHashMap}, changed with atomic {@code putIfAbsent} and
 * {@code computeIfPresent}. Nothing survives a restart; meant for tests and single-process demos.
 */
public final class InMemoryGroupStore implements GroupStore {

    private final ConcurrentMap<String, Group> groups = new ConcurrentHashMap<>();

    /** Creates an empty store. */
    public InMemoryGroupStore() {
    }

    @Override
    public Optional<Group> find(String groupUri) {
        Objects.requireNonNull(groupUri, "groupUri");
        return Optional.ofNullable(groups.get(groupUri));
    }

    @Override
    public boolean create(Group group) {
        Objects.requireNonNull(group, "group");
        return groups.putIfAbsent(group.uri(), group) == null;
    }

    @Override
    public Optional<Group> put(Group group) {
        Objects.requireNonNull(group, "group");
        return Optional.ofNullable(groups.put(group.uri(), group));
    }

    @Override
    public Optional<Group> update(String groupUri, UnaryOperator<Group> change) {
        Objects.requireNonNull(groupUri, "groupUri");
        Objects.requireNonNull(change, "change");
        return Optional.ofNullable(groups.computeIfPresent(groupUri, (uri, current) -> GroupChanges.apply(current, change)));
    }

    @Override
    public boolean addMember(String groupUri, String identity) {
        return changed(groupUri, GroupChanges.adding(identity));
    }

    @Override
    public boolean removeMember(String groupUri, String identity) {
        return changed(groupUri, GroupChanges.removing(identity));
    }

    @Override
    public boolean delete(String groupUri) {
        Objects.requireNonNull(groupUri, "groupUri");
        return groups.remove(groupUri) != null;
    }

    @Override
    public List<Group> list() {
        return groups.values().stream().sorted(Comparator.comparing(Group::uri)).toList();
    }

    @Override
    public long count() {
        return groups.size();
    }

    /** Applies {@code change} atomically; true when the group exists and the change made a difference. */
    private boolean changed(String groupUri, UnaryOperator<Group> change) {
        Objects.requireNonNull(groupUri, "groupUri");
        AtomicReference<Group> before = new AtomicReference<>();
        Group after = groups.computeIfPresent(groupUri, (uri, current) -> {
            before.set(current);
            return GroupChanges.apply(current, change);
        });
        return after != null && !after.equals(before.get());
    }
}
