package org.cpmrouter.routes.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Replay protection for digest nonces: the highest nonce count (nc) each nonce has authenticated, so a request
 * whose count is not higher (a replayed Authorization) is refused. An entry lives as long as its nonce is valid
 * (afterwards the nonce is refused as stale anyway) and is purged then; at most {@code maxNonces} live at once.
 * Only requests whose digest was right make entries, so a flood of unauthenticated requests cannot fill it.
 */
public final class NonceCounts {

    enum Outcome {
        /** The count is higher than any before it for this nonce; it is now the highest. */
        ACCEPTED,
        /** The count was already used, or a higher one was: a replay (or a reordered retry). */
        REPLAYED,
        /** The table is full of live nonces: refusing is safer than forgetting one (its replays would pass). */
        FULL
    }

    private record Entry(long highestCount, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final int maxNonces;
    private final LongSupplier clock;
    private final AtomicLong nextPurge = new AtomicLong();

    NonceCounts(int maxNonces, LongSupplier clock) {
        this.maxNonces = maxNonces;
        this.clock = clock;
    }

    /**
     * Records {@code count} for {@code nonce} if it is higher than every count seen for it.
     *
     * @param expiresAt when the nonce stops being valid, milliseconds of the same clock
     */
    Outcome advance(String nonce, long count, long expiresAt) {
        long now = clock.getAsLong();
        purgeExpired(now, false);
        if (!entries.containsKey(nonce) && entries.size() >= maxNonces) {
            purgeExpired(now, true);
            if (entries.size() >= maxNonces) {
                return Outcome.FULL;
            }
        }
        boolean[] accepted = new boolean[1];
        entries.compute(nonce, (k, previous) -> {
            if (previous == null || count > previous.highestCount()) {
                accepted[0] = true;
                return new Entry(count, expiresAt);
            }
            return previous;
        });
        return accepted[0] ? Outcome.ACCEPTED : Outcome.REPLAYED;
    }

    int size() {
        return entries.size();
    }

    /** Drops the entries of expired nonces: when forced, else at most once a second. */
    private void purgeExpired(long now, boolean force) {
        long due = nextPurge.get();
        if (!force && (now < due || !nextPurge.compareAndSet(due, now + 1000))) {
            return;
        }
        entries.values().removeIf(e -> e.expiresAt() < now);
    }
}
