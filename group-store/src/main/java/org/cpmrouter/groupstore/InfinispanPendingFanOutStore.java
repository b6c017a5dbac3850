package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.infinispan.Cache;

/**
 * A {@link PendingFanOutStore} over the Infinispan cache {@code pending-fanouts}: the record of each message under
 * its id, and the members that answered under {@code answered|ID} (one per line), so recording answers rewrites that
 * list, not the record with its body; the Controlling Function records the answers that came meanwhile in one
 * batch, so a group of 100 costs a few writes, and one removal at the end. {@link #all()} subtracts the answers
 * from each record. Only the record's owner writes its answers. A record's owner changes by compare-and-set on the
 * whole record, so of two nodes taking it over one wins.
 */
public final class InfinispanPendingFanOutStore implements PendingFanOutStore {

    /** Name of the cache holding group messages accepted and not yet sent to every member. */
    public static final String PENDING_FANOUTS_CACHE = "pending-fanouts";

    /** A Call-ID never contains '|' (RFC 3261 word), so these keys cannot be a record's. */
    private static final String ANSWERED = "answered|";
    /**
     * How long a list of answers outlives a record removed without it (a crash between the record's removal and
     * the list's): only then does the lifespan remove it.
     */
    private static final long ANSWER_LIFESPAN_HOURS = 48;

    private final Cache<String, Object> cache;
    private final ClusterNode node;

    InfinispanPendingFanOutStore(Cache<String, Object> cache, ClusterNode node) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.node = Objects.requireNonNull(node, "node");
    }

    @Override
    public void save(PendingFanOut pending) {
        PendingFanOut owned = pending.owner().isEmpty() ? pending.withOwner(node.owner()) : pending;
        cache.put(owned.id(), PendingFanOutEntity.from(owned));
    }

    @Override
    public void answered(String id, String member) {
        answered(Map.of(id, List.of(member)));
    }

    /** One {@code putAll} of each message's list with its new members: one message to the other nodes. */
    @Override
    public void answered(Map<String, ? extends Collection<String>> answers) {
        Map<String, Object> entries = new HashMap<>();
        answers.forEach((id, members) -> {
            if (!members.isEmpty()) {
                StringBuilder list = new StringBuilder(cache.get(answeredKey(id)) instanceof String s ? s : "");
                members.forEach(member -> list.append(member).append('\n'));
                entries.put(answeredKey(id), list.toString());
            }
        });
        if (!entries.isEmpty()) {
            cache.putAll(entries, ANSWER_LIFESPAN_HOURS, TimeUnit.HOURS);
        }
    }

    @Override
    public void remove(String id) {
        cache.remove(id);
        cache.removeAsync(answeredKey(id)); // the record is gone, so nothing reads it any more: no need to wait
    }

    @Override
    public List<PendingFanOut> all() {
        List<PendingFanOutEntity> records = new ArrayList<>();
        Map<String, Set<String>> answers = new HashMap<>();
        cache.entrySet().forEach(e -> {
            if (e.getValue() instanceof PendingFanOutEntity record) {
                records.add(record);
            } else if (e.getKey().startsWith(ANSWERED) && e.getValue() instanceof String list) {
                answers.put(e.getKey().substring(ANSWERED.length()), membersOf(list));
            }
        });
        List<PendingFanOut> all = new ArrayList<>();
        for (PendingFanOutEntity record : records) {
            all.add(narrowed(record.toPending(), answers.getOrDefault(record.id(), Set.of())));
        }
        return all;
    }

    @Override
    public Optional<PendingFanOut> takeOver(PendingFanOut orphan) {
        while (true) {
            Object current = cache.get(orphan.id());
            if (!(current instanceof PendingFanOutEntity record) || !Objects.equals(ownerOf(record), orphan.owner())) {
                return Optional.empty();
            }
            PendingFanOut mine = record.toPending().withOwner(node.owner());
            if (cache.replace(orphan.id(), record, PendingFanOutEntity.from(mine))) {
                Object answered = cache.get(answeredKey(orphan.id()));
                return Optional.of(narrowed(mine, answered instanceof String list ? membersOf(list) : Set.of()));
            }
        }
    }

    @Override
    public ClusterNode node() {
        return node;
    }

    private static String ownerOf(PendingFanOutEntity record) {
        return record.owner() == null ? "" : record.owner();
    }

    private static PendingFanOut narrowed(PendingFanOut record, Set<String> answered) {
        if (answered.isEmpty()) {
            return record;
        }
        List<String> left = new ArrayList<>(record.recipients());
        left.removeAll(answered);
        return record.withRecipients(left);
    }

    private static String answeredKey(String id) {
        return ANSWERED + id;
    }

    private static Set<String> membersOf(String list) {
        Set<String> members = new HashSet<>();
        for (String line : list.split("\n")) {
            if (!line.isEmpty()) {
                members.add(line);
            }
        }
        return members;
    }
}
