package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link DeferredMessageStore} in memory: nothing survives the process (tests, and routers without a store). */
public final class InMemoryDeferredMessageStore implements DeferredMessageStore {

    private final Map<String, TreeMap<Long, HeldMessage>> held = new java.util.HashMap<>();
    private final Map<String, String> claims = new java.util.HashMap<>();
    private final ClusterNode node;

    private final Map<String, Long> nextSequence = new java.util.HashMap<>();
    private long totalBytes;

    public InMemoryDeferredMessageStore() {
        this(ClusterNode.standalone(""));
    }

    public InMemoryDeferredMessageStore(ClusterNode node) {
        this.node = node;
    }

    /** Leases are not timed here: a process that claims also releases, and nothing outlives it. */
    @Override
    public synchronized boolean claimDelivery(String recipient, long leaseMillis) {
        String holder = claims.get(recipient);
        if (holder != null && !holder.equals(node.owner()) && node.isAlive(holder)) {
            return false;
        }
        claims.put(recipient, node.owner());
        return true;
    }

    @Override
    public synchronized void releaseDelivery(String recipient) {
        claims.remove(recipient, node.owner());
    }

    @Override
    public ClusterNode node() {
        return node;
    }

    @Override
    public synchronized HeldMessage hold(HeldMessage message, Limits limits) {
        TreeMap<Long, HeldMessage> mine = held.computeIfAbsent(message.recipient(), r -> new TreeMap<>());
        if (mine.size() >= limits.maxPerRecipient()) {
            throw new HoldRefused(HoldRefused.Limit.PER_RECIPIENT, message.recipient() + " has " + mine.size()
                    + " messages held already");
        }
        if (totalBytes + message.size() > limits.maxTotalBytes()) {
            throw new HoldRefused(HoldRefused.Limit.TOTAL_BYTES, "the deferred store holds " + totalBytes + " bytes");
        }
        long sequence = nextSequence.merge(message.recipient(), 1L, Long::sum);
        HeldMessage stored = message.withSequence(sequence);
        mine.put(sequence, stored);
        totalBytes += stored.size();
        return stored;
    }

    @Override
    public synchronized List<HeldMessage> heldFor(String recipient) {
        TreeMap<Long, HeldMessage> mine = held.get(recipient);
        return mine == null ? List.of() : List.copyOf(mine.values());
    }

    @Override
    public synchronized boolean update(HeldMessage message) {
        TreeMap<Long, HeldMessage> mine = held.get(message.recipient());
        if (mine == null || !mine.containsKey(message.sequence())) {
            return false;
        }
        mine.put(message.sequence(), message);
        return true;
    }

    @Override
    public synchronized boolean remove(String recipient, long sequence) {
        TreeMap<Long, HeldMessage> mine = held.get(recipient);
        HeldMessage removed = mine == null ? null : mine.remove(sequence);
        if (removed == null) {
            return false;
        }
        totalBytes -= removed.size();
        if (mine.isEmpty()) {
            held.remove(recipient);
        }
        return true;
    }

    @Override
    public synchronized List<HeldMessage> removeExpired(long nowMillis) {
        List<HeldMessage> expired = new ArrayList<>();
        for (TreeMap<Long, HeldMessage> mine : held.values()) {
            mine.values().stream().filter(m -> m.isExpiredAt(nowMillis)).forEach(expired::add);
        }
        expired.forEach(m -> remove(m.recipient(), m.sequence()));
        return expired;
    }

    @Override
    public synchronized List<String> recipients() {
        return List.copyOf(held.keySet());
    }

    @Override
    public synchronized Summary summary(String recipient) {
        List<HeldMessage> mine = heldFor(recipient);
        return new Summary(recipient, mine.size(), mine.stream().mapToLong(HeldMessage::size).sum(),
                mine.isEmpty() ? 0 : mine.get(0).storedAtMillis());
    }

    @Override
    public synchronized int purge(String recipient) {
        List<HeldMessage> mine = heldFor(recipient);
        mine.forEach(m -> remove(recipient, m.sequence()));
        return mine.size();
    }
}
