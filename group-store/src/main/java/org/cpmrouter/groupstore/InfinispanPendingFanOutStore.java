package org.cpmrouter.groupstore;

import java.util.ArrayList;
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
 * its id, and one small entry per answered member ({@code answered|ID|MEMBER}), so recording an answer writes a few
 * dozen bytes, not the whole record with its member list. {@link #all()} subtracts the answers from each record.
 * A record's owner changes by compare-and-set on the whole record, so of two nodes taking it over one wins.
 */
public final class InfinispanPendingFanOutStore implements PendingFanOutStore {

    /** Name of the cache holding group messages accepted and not yet sent to every member. */
    public static final String PENDING_FANOUTS_CACHE = "pending-fanouts";

    /** A Call-ID never contains '|' (RFC 3261 word), so these keys cannot be a record's. */
    private static final String ANSWERED = "answered|";
    /**
     * How long an answer outlives a record removed without it (a crash between the record's removal and its
     * answers'): only then does the lifespan remove it.
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
        cache.put(answeredKey(id, member), member, ANSWER_LIFESPAN_HOURS, TimeUnit.HOURS);
    }

    @Override
    public void remove(String id) {
        Object removed = cache.remove(id);
        if (removed instanceof PendingFanOutEntity record && record.recipients() != null) {
            // the record is gone, so nothing reads these any more: no need to wait for them
            for (String member : record.recipients()) {
                cache.removeAsync(answeredKey(id, member));
            }
        }
    }

    @Override
    public List<PendingFanOut> all() {
        List<PendingFanOutEntity> records = new ArrayList<>();
        Map<String, Set<String>> answers = new HashMap<>();
        cache.entrySet().forEach(e -> {
            if (e.getValue() instanceof PendingFanOutEntity record) {
                records.add(record);
            } else if (e.getKey().startsWith(ANSWERED) && e.getValue() instanceof String member) {
                String rest = e.getKey().substring(ANSWERED.length());
                answers.computeIfAbsent(rest.substring(0, rest.length() - member.length() - 1), k -> new HashSet<>())
                        .add(member);
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
                Set<String> answered = new HashSet<>();
                for (String member : mine.recipients()) {
                    if (cache.containsKey(answeredKey(orphan.id(), member))) {
                        answered.add(member);
                    }
                }
                return Optional.of(narrowed(mine, answered));
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

    private static String answeredKey(String id, String member) {
        return ANSWERED + id + "|" + member;
    }
}
