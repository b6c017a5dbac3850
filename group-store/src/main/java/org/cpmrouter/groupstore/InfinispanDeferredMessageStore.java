package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.infinispan.Cache;

/**
 * A {@link DeferredMessageStore} over the Infinispan cache {@code deferred-messages}. Each held message is an
 * entry of its own ({@code m|RECIPIENT|SEQUENCE}), so holding one more writes one message and one small index, not
 * the recipient's whole backlog; the recipient's index ({@code i|RECIPIENT}) lists the sequences in arrival order
 * and the store-wide byte count is {@code t|}. Indexes change by compare-and-set, so the caps and the order hold
 * with several writers and on several nodes. A message is written before its index names it: a crash in between
 * leaves an entry nobody lists, never an index naming nothing it cannot skip. A delivery claim is
 * {@code l|RECIPIENT}: the owner's name, with the lease as its lifespan.
 */
public final class InfinispanDeferredMessageStore implements DeferredMessageStore {

    /** Name of the cache holding deferred messages and their indexes. */
    public static final String DEFERRED_CACHE = "deferred-messages";

    private static final String TOTALS = "t|";
    /**
     * How long a message entry outlives its expiry: the sweeper removes (and reports) expired messages itself; the
     * entry's own lifespan only clears one a crash left unlisted.
     */
    private static final long ORPHAN_GRACE_MILLIS = TimeUnit.DAYS.toMillis(1);

    private final Cache<String, Object> cache;
    private final ClusterNode node;

    InfinispanDeferredMessageStore(Cache<String, Object> cache, ClusterNode node) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.node = Objects.requireNonNull(node, "node");
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
            changeIndex(indexKey(recipient), index -> {
                if (index.held().size() >= limits.maxPerRecipient()) {
                    throw new HoldRefused(HoldRefused.Limit.PER_RECIPIENT, recipient + " has " + index.held().size()
                            + " messages held already");
                }
                sequence[0] = index.nextSequence();
                return index; // the number is taken below, once the message is written
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
            changeIndex(indexKey(recipient), index -> {
                List<Long> sequences = new ArrayList<>(index.held());
                sequences.add(taken);
                sequences.sort(null);
                return new DeferredIndexEntity(Math.max(index.nextSequence(), taken + 1), sequences,
                        index.bytes() + size);
            });
            return stored;
        } catch (HoldRefused refused) {
            changeIndex(TOTALS, t -> new DeferredIndexEntity(t.nextSequence(), List.of(), Math.max(0, t.bytes() - size)));
            throw refused;
        }
    }

    @Override
    public List<HeldMessage> heldFor(String recipient) {
        Object index = cache.get(indexKey(recipient));
        if (!(index instanceof DeferredIndexEntity entity)) {
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
        changeIndex(indexKey(recipient), index -> {
            List<Long> sequences = new ArrayList<>(index.held());
            listed[0] = sequences.remove(Long.valueOf(sequence));
            return new DeferredIndexEntity(index.nextSequence(), sequences, Math.max(0, index.bytes() - size));
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
        cache.keySet().forEach(key -> {
            if (key.startsWith("i|") && cache.get(key) instanceof DeferredIndexEntity e && !e.held().isEmpty()) {
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
            Object old = cache.get(key);
            DeferredIndexEntity current = old instanceof DeferredIndexEntity e ? e
                    : new DeferredIndexEntity(1, List.of(), 0);
            DeferredIndexEntity next = change.apply(current);
            if (next == current) {
                return;
            }
            boolean written = old == null ? cache.putIfAbsent(key, next) == null : cache.replace(key, old, next);
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
        return "m|" + recipient + "|" + sequence;
    }
}
