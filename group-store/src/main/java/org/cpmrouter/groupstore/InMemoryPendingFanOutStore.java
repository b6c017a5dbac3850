package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PendingFanOutStore} in memory: nothing survives the process (tests, and routers without a store). */
public final class InMemoryPendingFanOutStore implements PendingFanOutStore {

    private final Map<String, PendingFanOut> pending = new ConcurrentHashMap<>();

    @Override
    public void save(PendingFanOut p) {
        pending.put(p.id(), p);
    }

    @Override
    public void remove(String id) {
        pending.remove(id);
    }

    @Override
    public List<PendingFanOut> all() {
        return List.copyOf(pending.values());
    }
}
