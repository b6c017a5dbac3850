package org.cpmrouter.groupstore;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link BanStore} in memory: for one node, and for a configuration without the {@code bans} cache. */
public final class InMemoryBanStore implements BanStore {

    private final ConcurrentHashMap<String, Ban> bans = new ConcurrentHashMap<>();
    private final List<Consumer<String>> watchers = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public InMemoryBanStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void ban(Ban ban) {
        bans.put(ban.address(), ban);
        watchers.forEach(w -> w.accept(ban.address()));
    }

    @Override
    public boolean lift(String address) {
        boolean had = bans.remove(address) != null;
        if (had) {
            watchers.forEach(w -> w.accept(address));
        }
        return had;
    }

    @Override
    public Optional<Ban> find(String address) {
        Ban ban = bans.get(address);
        if (ban != null && !ban.activeAt(clock.millis())) {
            bans.remove(address, ban);
            return Optional.empty();
        }
        return Optional.ofNullable(ban);
    }

    @Override
    public List<Ban> all() {
        long now = clock.millis();
        bans.values().removeIf(b -> !b.activeAt(now));
        return bans.values().stream().sorted(Comparator.comparing(Ban::address)).toList();
    }

    @Override
    public void watch(Consumer<String> changed) {
        watchers.add(changed);
    }
}
