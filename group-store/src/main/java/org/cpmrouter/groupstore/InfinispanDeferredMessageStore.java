package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.infinispan.Cache;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.manager.EmbeddedCacheManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeferredMessageStore} over the Infinispan cache {@code deferred-messages}, where each held message is an
 * entry of its own ({@code m|RECIPIENT|SEQUENCE}) written through to the file store, and the claim of the node
 * delivering a recipient's messages is {@code l|RECIPIENT} (the owner's name, with the lease as its lifespan).
 *
 * <p>The messages are the only durable part. Each recipient's index ({@code i|RECIPIENT}: the sequences in arrival
 * order, the next number to give, their bytes) and the store-wide byte count ({@code t|}) are in the cache
 * {@code deferred-index}, made from the messages cache's configuration without its file store and without eviction
 * (memory only; replicated like the messages in a cluster), and rebuilt from the messages when a store starts
 * without them (a restart of a lone node, or of every node of a cluster). So holding a message costs one write that
 * waits for the disk, not three: the file store's {@code fsync} is what bounds holds and deliveries per second.
 * Indexes change by compare-and-set, so the caps and the order hold with several writers and on several nodes. A
 * message is written before its index names it: a crash in between leaves a message the rebuild finds.
 */
public final class InfinispanDeferredMessageStore implements DeferredMessageStore {

    /** Name of the cache holding deferred messages and delivery claims. */
    public static final String DEFERRED_CACHE = "deferred-messages";
    /** Name of the memory-only cache of the indexes and the byte count, made from {@link #DEFERRED_CACHE}'s. */
    public static final String INDEX_CACHE = "deferred-index";

    private static final Logger LOG = LoggerFactory.getLogger(InfinispanDeferredMessageStore.class);
    private static final String TOTALS = "t|";
    private static final String MESSAGE_PREFIX = "m|";
    /**
     * How long a message entry outlives its expiry: the sweeper removes (and reports) expired messages itself; the
     * entry's own lifespan only clears one a crash left unlisted.
     */
    private static final long ORPHAN_GRACE_MILLIS = TimeUnit.DAYS.toMillis(1);

    private final Cache<String, Object> cache;
    private final Cache<String, Object> index;
    private final ClusterNode node;

    InfinispanDeferredMessageStore(Cache<String, Object> cache, Cache<String, Object> index, ClusterNode node) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.index = Objects.requireNonNull(index, "index");
        this.node = Objects.requireNonNull(node, "node");
    }

    /**
     * The store over {@code messages}, with its index cache defined beside it (memory only, the same clustering) and
     * filled from the messages when no member of the cluster has it.
     */
    static InfinispanDeferredMessageStore over(Cache<String, Object> messages, ClusterNode node) {
        EmbeddedCacheManager manager = messages.getCacheManager();
        if (manager.getCacheConfiguration(INDEX_CACHE) == null) {
            ConfigurationBuilder builder = new ConfigurationBuilder().read(messages.getCacheConfiguration());
            builder.persistence().clearStores();
            builder.memory().maxCount(-1);
            manager.defineConfiguration(INDEX_CACHE, builder.build());
        }
        Cache<String, Object> index = manager.getCache(INDEX_CACHE);
        InfinispanDeferredMessageStore store = new InfinispanDeferredMessageStore(messages, index, node);
        if (!index.containsKey(TOTALS)) {
            store.rebuildIndexes();
        }
        return store;
    }

    /**
     * Makes every recipient's index and the byte count from the messages themselves, and drops the indexes an
     * earlier version kept among the messages.
     */
    private void rebuildIndexes() {
        long started = System.nanoTime();
        Map<String, List<Long>> sequences = new HashMap<>();
        Map<String, Long> bytes = new HashMap<>();
        List<String> oldIndexes = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Object> entry : cache.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("i|") || key.equals(TOTALS)) {
                oldIndexes.add(key);
            } else if (key.startsWith(MESSAGE_PREFIX) && entry.getValue() instanceof HeldMessageEntity e) {
                HeldMessage held = e.toHeld();
                sequences.computeIfAbsent(held.recipient(), r -> new ArrayList<>()).add(held.sequence());
                bytes.merge(held.recipient(), held.size(), Long::sum);
                total += held.size();
            }
        }
        sequences.forEach((recipient, held) -> {
            held.sort(null);
            index.putIfAbsent(indexKey(recipient), new DeferredIndexEntity(held.get(held.size() - 1) + 1, held,
                    bytes.get(recipient)));
        });
        index.putIfAbsent(TOTALS, new DeferredIndexEntity(1, List.of(), total));
        oldIndexes.forEach(cache::remove);
        int messages = sequences.values().stream().mapToInt(List::size).sum();
        LOG.info("deferred store: indexes of {} held messages for {} recipients ({} bytes) made from the store "
                + "in {} ms", messages, sequences.size(), total,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public HeldMessage hold(HeldMessage message, Limits limits) {
        String recipient = message.recipient();
        long size = message.size();
        long[] sequence = new long[1];
        changeIndex(TOTALS, totals -> {
            if (totals.bytes() + size > limits.maxTotalBytes()) {
                throw new HoldRefused(HoldRefused.Limit.TOTAL_BYTES, "the deferred store holds " + totals.bytes()
                        + " bytes");
            }
            return new DeferredIndexEntity(totals.nextSequence(), List.of(), totals.bytes() + size);
        });
        try {
            changeIndex(indexKey(recipient), entry -> {
                if (entry.held().size() >= limits.maxPerRecipient()) {
                    throw new HoldRefused(HoldRefused.Limit.PER_RECIPIENT, recipient + " has " + entry.held().size()
                            + " messages held already");
                }
                sequence[0] = entry.nextSequence();
                return entry; // the number is taken below, once the message is written
            });
            HeldMessage stored = message.withSequence(sequence[0]);
            // the number is reserved by writing the message under it first; a racing hold that read the same index
            // finds the key taken and reads again
            long lifespan = Math.max(1, stored.expiresAtMillis() - stored.storedAtMillis()) + ORPHAN_GRACE_MILLIS;
            while (cache.putIfAbsent(messageKey(recipient, stored.sequence()), HeldMessageEntity.from(stored), lifespan,
                    TimeUnit.MILLISECONDS) != null) {
                stored = stored.withSequence(stored.sequence() + 1);
            }
            long taken = stored.sequence();
            changeIndex(indexKey(recipient), entry -> {
                List<Long> sequences = new ArrayList<>(entry.held());
                sequences.add(taken);
                sequences.sort(null);
                return new DeferredIndexEntity(Math.max(entry.nextSequence(), taken + 1), sequences,
                        entry.bytes() + size);
            });
            return stored;
        } catch (HoldRefused refused) {
            changeIndex(TOTALS, t -> new DeferredIndexEntity(t.nextSequence(), List.of(), Math.max(0, t.bytes() - size)));
            throw refused;
        }
    }

    @Override
    public List<HeldMessage> heldFor(String recipient) {
        if (!(index.get(indexKey(recipient)) instanceof DeferredIndexEntity entity)) {
            return List.of();
        }
        List<HeldMessage> held = new ArrayList<>();
        for (long sequence : entity.held()) {
            Object m = cache.get(messageKey(recipient, sequence));
            if (m instanceof HeldMessageEntity e) {
                held.add(e.toHeld());
            }
        }
        return held;
    }

    @Override
    public boolean update(HeldMessage message) {
        return cache.replace(messageKey(message.recipient(), message.sequence()), HeldMessageEntity.from(message)) != null;
    }

    @Override
    public boolean remove(String recipient, long sequence) {
        Object removed = cache.remove(messageKey(recipient, sequence));
        long size = removed instanceof HeldMessageEntity e ? e.toHeld().size() : 0;
        boolean[] listed = new boolean[1];
        changeIndex(indexKey(recipient), entry -> {
            List<Long> sequences = new ArrayList<>(entry.held());
            listed[0] = sequences.remove(Long.valueOf(sequence));
            return new DeferredIndexEntity(entry.nextSequence(), sequences, Math.max(0, entry.bytes() - size));
        });
        if (size > 0) {
            changeIndex(TOTALS, t -> new DeferredIndexEntity(t.nextSequence(), List.of(), Math.max(0, t.bytes() - size)));
        }
        return removed != null;
    }

    @Override
    public List<HeldMessage> removeExpired(long nowMillis) {
        List<HeldMessage> expired = new ArrayList<>();
        for (String recipient : recipients()) {
            for (HeldMessage m : heldFor(recipient)) {
                if (m.isExpiredAt(nowMillis) && remove(recipient, m.sequence())) {
                    expired.add(m);
                }
            }
        }
        return expired;
    }

    @Override
    public List<String> recipients() {
        List<String> recipients = new ArrayList<>();
        index.forEach((key, value) -> {
            if (key.startsWith("i|") && value instanceof DeferredIndexEntity e && !e.held().isEmpty()) {
                recipients.add(key.substring(2));
            }
        });
        return recipients;
    }

    @Override
    public Summary summary(String recipient) {
        List<HeldMessage> held = heldFor(recipient);
        return new Summary(recipient, held.size(), held.stream().mapToLong(HeldMessage::size).sum(),
                held.isEmpty() ? 0 : held.get(0).storedAtMillis());
    }

    @Override
    public int purge(String recipient) {
        int removed = 0;
        for (HeldMessage m : heldFor(recipient)) {
            if (remove(recipient, m.sequence())) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public boolean claimDelivery(String recipient, long leaseMillis) {
        String key = claimKey(recipient);
        String self = node.owner();
        while (true) {
            Object holder = cache.get(key);
            if (holder == null) {
                if (cache.putIfAbsent(key, self, leaseMillis, TimeUnit.MILLISECONDS) == null) {
                    return true;
                }
            } else if (holder.equals(self) || !node.isAlive(holder.toString())) {
                if (cache.replace(key, holder, self, leaseMillis, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } else {
                return false;
            }
        }
    }

    @Override
    public void releaseDelivery(String recipient) {
        cache.remove(claimKey(recipient), node.owner());
    }

    @Override
    public ClusterNode node() {
        return node;
    }

    /** Replaces an index by what {@code change} makes of it (an absent one reads as empty), retrying on a race. */
    private void changeIndex(String key, UnaryOperator<DeferredIndexEntity> change) {
        while (true) {
            Object old = index.get(key);
            DeferredIndexEntity current = old instanceof DeferredIndexEntity e ? e
                    : new DeferredIndexEntity(1, List.of(), 0);
            DeferredIndexEntity next = change.apply(current);
            if (next == current) {
                return;
            }
            boolean written = old == null ? index.putIfAbsent(key, next) == null : index.replace(key, old, next);
            if (written) {
                return;
            }
        }
    }

    private static String claimKey(String recipient) {
        return "l|" + recipient;
    }

    private static String indexKey(String recipient) {
        return "i|" + recipient;
    }

    private static String messageKey(String recipient, long sequence) {
        return MESSAGE_PREFIX + recipient + "|" + sequence;
    }
}
