package org.cpmrouter.groupstore;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.infinispan.Cache;

/**
 * A {@link GroupStore} over the Infinispan cache {@code groups} (group URI -&gt; group).
 *
 * <p>Creation is {@code putIfAbsent}; every change of an existing group is an optimistic compare-and-set loop
 * (read, apply the change, {@code replace(key, old, new)}, retry if another writer got there first). The loop
 * ships plain values, never lambdas, so it stays atomic and marshallable when the cache is replicated or
 * distributed across nodes.
 *
 * <p>{@link #find} is answered from a {@link DecodedReadCache} that a write to the group's entry drops. Every
 * message asks whether its target is a group, and for a user (not a group) the cache's answer is a miss that
 * Infinispan takes to its file store: a wait for the store's threads on the SIP thread, for every message. Under
 * overload those waits held most SIP threads (thread dumps at twice the clean rate, one core: 4-6 of 8 in
 * {@code cache.get} of this store), so requests queued for seconds.
 */
public final class InfinispanGroupStore implements GroupStore {

    /** Name of the cache holding the Pre-defined Groups keyed by group URI. */
    public static final String GROUPS_CACHE = "groups";

    private final Cache<String, GroupEntity> cache;
    private final DecodedReadCache<Optional<Group>> found = new DecodedReadCache<>(DecodedReadCache.STORE_ENTRIES);

    InfinispanGroupStore(Cache<String, GroupEntity> cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        found.dropKeyOnWrite(cache);
    }

    @Override
    public Optional<Group> find(String groupUri) {
        Objects.requireNonNull(groupUri, "groupUri");
        return found.get(groupUri, this::load);
    }

    private Optional<Group> load(String groupUri) {
        GroupEntity entity = cache.get(groupUri);
        return entity == null ? Optional.empty() : Optional.of(entity.toGroup());
    }

    @Override
    public boolean create(Group group) {
        Objects.requireNonNull(group, "group");
        return cache.putIfAbsent(group.uri(), GroupEntity.from(group)) == null;
    }

    @Override
    public Optional<Group> put(Group group) {
        Objects.requireNonNull(group, "group");
        GroupEntity previous = cache.put(group.uri(), GroupEntity.from(group));
        return previous == null ? Optional.empty() : Optional.of(previous.toGroup());
    }

    @Override
    public Optional<Group> update(String groupUri, UnaryOperator<Group> change) {
        Objects.requireNonNull(change, "change");
        Change result = change(groupUri, change);
        return result == null ? Optional.empty() : Optional.of(result.after());
    }

    @Override
    public boolean addMember(String groupUri, String identity) {
        Change result = change(groupUri, GroupChanges.adding(identity));
        return result != null && result.changed();
    }

    @Override
    public boolean removeMember(String groupUri, String identity) {
        Change result = change(groupUri, GroupChanges.removing(identity));
        return result != null && result.changed();
    }

    @Override
    public boolean delete(String groupUri) {
        Objects.requireNonNull(groupUri, "groupUri");
        return cache.remove(groupUri) != null;
    }

    @Override
    public List<Group> list() {
        return cache.values().stream().map(GroupEntity::toGroup).sorted(Comparator.comparing(Group::uri)).toList();
    }

    @Override
    public long count() {
        return cache.size();
    }

    /**
     * Applies {@code change} with a compare-and-set loop.
     *
     * @return the group before and after, or null when there is no such group
     */
    private Change change(String groupUri, UnaryOperator<Group> change) {
        Objects.requireNonNull(groupUri, "groupUri");
        while (true) {
            GroupEntity old = cache.get(groupUri);
            if (old == null) {
                return null;
            }
            Group before = old.toGroup();
            Group after = GroupChanges.apply(before, change);
            if (after.equals(before) || cache.replace(groupUri, old, GroupEntity.from(after))) {
                return new Change(before, after);
            }
        }
    }

    private record Change(Group before, Group after) {
        boolean changed() {
            return !after.equals(before);
        }
    }
}
