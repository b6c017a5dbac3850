package org.cpmrouter.groupstore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.infinispan.Cache;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * A {@link BanStore} over the Infinispan cache {@code bans}: one entry per banned address, living until the ban
 * ends (the entry's lifespan). Replicated in a cluster, so every node refuses a source any node banned, and a ban
 * lifted on one node is lifted on all. Not persisted: a ban lasts minutes, a restart may forget it.
 */
public final class InfinispanBanStore implements BanStore {

    /** Name of the cache of banned source addresses. */
    public static final String BANS_CACHE = "bans";

    private final Cache<String, String> cache;
    private final Clock clock;

    InfinispanBanStore(Cache<String, String> cache, Clock clock) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Written asynchronously: a ban is set on a SIP reading thread, which must not wait for the cluster. */
    @Override
    public void ban(Ban ban) {
        long lifespan = Math.max(1, ban.untilMillis() - clock.millis());
        cache.putAsync(ban.address(), ban.encode(), lifespan, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean lift(String address) {
        return cache.remove(address) != null;
    }

    @Override
    public Optional<Ban> find(String address) {
        Ban ban = Ban.decode(address, cache.get(address));
        return ban != null && ban.activeAt(clock.millis()) ? Optional.of(ban) : Optional.empty();
    }

    @Override
    public List<Ban> all() {
        long now = clock.millis();
        List<Ban> active = new ArrayList<>();
        cache.forEach((address, value) -> {
            Ban ban = Ban.decode(address, value);
            if (ban != null && ban.activeAt(now)) {
                active.add(ban);
            }
        });
        active.sort(Comparator.comparing(Ban::address));
        return active;
    }

    @Override
    public void watch(Consumer<String> changed) {
        cache.addListener(new Watcher(changed));
    }

    /** Passes on the address of every ban set or lifted, here or replicated from another node. */
    @Listener(observation = Listener.Observation.POST)
    public static final class Watcher {
        private final Consumer<String> changed;

        Watcher(Consumer<String> changed) {
            this.changed = changed;
        }

        @CacheEntryCreated
        @CacheEntryModified
        @CacheEntryRemoved
        public void onChange(CacheEntryEvent<?, ?> event) {
            if (event.getKey() instanceof String address) {
                changed.accept(address);
            }
        }
    }
}
