package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.infinispan.Cache;

/** A {@link PendingFanOutStore} over the Infinispan cache {@code pending-fanouts} (id -&gt; pending message). */
public final class InfinispanPendingFanOutStore implements PendingFanOutStore {

    /** Name of the cache holding group messages accepted and not yet sent to every member. */
    public static final String PENDING_FANOUTS_CACHE = "pending-fanouts";

    private final Cache<String, PendingFanOutEntity> cache;

    InfinispanPendingFanOutStore(Cache<String, PendingFanOutEntity> cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public void save(PendingFanOut pending) {
        cache.put(pending.id(), PendingFanOutEntity.from(pending));
    }

    @Override
    public void remove(String id) {
        cache.remove(id);
    }

    @Override
    public List<PendingFanOut> all() {
        List<PendingFanOut> all = new ArrayList<>();
        cache.values().forEach(e -> all.add(e.toPending()));
        return all;
    }
}
