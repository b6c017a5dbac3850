package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PendingFanOutStore} in memory: nothing survives the process (tests, and routers without a store). */
public final class InMemoryPendingFanOutStore implements PendingFanOutStore {

    private final Map<String, PendingFanOut> pending = new ConcurrentHashMap<>();
    private final ClusterNode node;

    public InMemoryPendingFanOutStore() {
        this(ClusterNode.standalone(""));
    }

    public InMemoryPendingFanOutStore(ClusterNode node) {
        this.node = node;
    }

    @Override
    public void save(PendingFanOut p) {
        pending.put(p.id(), p.owner().isEmpty() ? p.withOwner(node.owner()) : p);
    }

    @Override
    public void answered(String id, String member) {
        pending.computeIfPresent(id, (k, p) -> {
            List<String> left = new ArrayList<>(p.recipients());
            left.remove(member);
            return p.withRecipients(left);
        });
    }

    @Override
    public void remove(String id) {
        pending.remove(id);
    }

    @Override
    public List<PendingFanOut> all() {
        return List.copyOf(pending.values());
    }

    @Override
    public Optional<PendingFanOut> takeOver(PendingFanOut orphan) {
        PendingFanOut[] taken = new PendingFanOut[1];
        pending.computeIfPresent(orphan.id(), (k, p) -> {
            if (!p.owner().equals(orphan.owner())) {
                return p;
            }
            taken[0] = p.withOwner(node.owner());
            return taken[0];
        });
        return Optional.ofNullable(taken[0]);
    }

    @Override
    public ClusterNode node() {
        return node;
    }
}
