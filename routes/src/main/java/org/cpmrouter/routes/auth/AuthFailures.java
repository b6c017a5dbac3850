package org.cpmrouter.routes.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.cpmrouter.routes.config.SourceBanSettings;
import org.cpmrouter.sip.SecurityEvents;

/**
 * Failed authentications (a wrong digest, an unknown username: the {@code 403 Authentication failed} answers),
 * counted per source address and per username, and the bans they earn ({@link BanList}):
 *
 * <ul>
 * <li><b>per address:</b> {@code cpm.auth.max-failures} failures from one address within
 *     {@code cpm.auth.failure-window-seconds} ban that address for {@code cpm.auth.ban-seconds};</li>
 * <li><b>per username, across addresses:</b> the same number of failures for one username from any addresses
 *     within the window marks the username as under attack for a window; while it is, an address that fails for it
 *     is banned at that failure, unless that address authenticated successfully (as anyone) within the last
 *     {@code cpm.auth.ban-seconds}. A guesser spread over many addresses thus burns an address per guess.</li>
 * </ul>
 *
 * <p>The username is never banned itself: bans are of addresses only, so a real user who gives the right password
 * from an address that did not fail is always let in, however many guesses are made for the name elsewhere (no
 * lock-out of a user from the user's own address), and the user's own phone, having authenticated before, is not
 * banned for one mistyped password while the name is under attack. Trusted peers are never challenged, so never
 * counted. Each failure is one security event line. Thread-safe; memory follows the addresses and names that
 * failed within a window.
 */
public final class AuthFailures {

    private static final int MAX_TRACKED = 100_000;

    private final BanList bans;
    private final int maxFailures;
    private final long windowMillis;
    private final int banSeconds;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Recent> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Recent> byUsername = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> underAttackUntil = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> goodAddresses = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();

    AuthFailures(BanList bans, SourceBanSettings settings, LongSupplier clock) {
        this.bans = bans;
        this.maxFailures = settings.maxFailures();
        this.windowMillis = settings.failureWindowSeconds() * 1000L;
        this.banSeconds = settings.banSeconds();
        this.clock = clock;
    }

    /** The counter that bans through {@code bans}, on the system clock. */
    public static AuthFailures of(BanList bans, SourceBanSettings settings) {
        return new AuthFailures(bans, settings, System::currentTimeMillis);
    }

    /**
     * One failed authentication from {@code address} for {@code username}: a security event line, and a ban when
     * it is one too many.
     *
     * @param detail what failed, for the log line
     */
    void failed(String address, String username, String callId, String detail) {
        failures.increment();
        SecurityEvents.refused(address, "auth-failed", 403, username, callId, detail);
        if (maxFailures == 0 || address == null || address.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        bound(byAddress);
        int fromAddress = track(byAddress, address, now);
        if (fromAddress >= maxFailures) {
            if (bans.ban(address, BanList.AUTH_FAILURES, fromAddress, banSeconds, fromAddress
                    + " failed authentications within " + windowMillis / 1000 + " s, the last for user "
                    + org.cpmrouter.sip.LogText.of(username) + " (cpm.auth.max-failures)")) {
                byAddress.remove(address);
            }
            return;
        }
        if (username == null) {
            return;
        }
        bound(byUsername);
        if (track(byUsername, username, now) >= maxFailures) {
            underAttackUntil.put(username, now + windowMillis);
            byUsername.remove(username);
        }
        Long attackedUntil = underAttackUntil.get(username);
        if (attackedUntil != null && now < attackedUntil && !recentlyGood(address, now)) {
            if (bans.ban(address, BanList.AUTH_FAILURES, fromAddress, banSeconds, "failed for user "
                    + org.cpmrouter.sip.LogText.of(username) + ", which failed " + maxFailures + " times from several "
                    + "addresses within " + windowMillis / 1000 + " s (cpm.auth.max-failures)")) {
                byAddress.remove(address);
            }
        } else if (attackedUntil != null && now >= attackedUntil) {
            underAttackUntil.remove(username, attackedUntil);
        }
    }

    /** A successful authentication from {@code address}: its failures are forgotten, and it counts as good. */
    void succeeded(String address) {
        if (maxFailures == 0 || address == null) {
            return;
        }
        byAddress.remove(address);
        bound(goodAddresses);
        goodAddresses.put(address, clock.getAsLong());
    }

    /** Failed authentications since start. */
    public long failures() {
        return failures.sum();
    }

    private boolean recentlyGood(String address, long now) {
        Long at = goodAddresses.get(address);
        return at != null && now - at < banSeconds * 1000L;
    }

    /** Records a failure at {@code now} and returns how many of the last failures of the key fall in the window. */
    private int track(ConcurrentHashMap<String, Recent> map, String key, long now) {
        Recent recent = map.computeIfAbsent(key, k -> new Recent(maxFailures));
        return recent.add(now, windowMillis);
    }

    /** Keeps a table from growing without bound under a spread attack: starts it over when full. */
    private static void bound(ConcurrentHashMap<String, ?> map) {
        if (map.size() >= MAX_TRACKED) {
            map.clear();
        }
    }

    /** The times of the last {@code capacity} failures of one key, in a ring. */
    private static final class Recent {
        private final long[] times;
        private int next;
        private int size;

        Recent(int capacity) {
            this.times = new long[capacity];
        }

        /** Adds a failure; returns how many of the kept failures are within the window before {@code now}. */
        synchronized int add(long now, long windowMillis) {
            times[next] = now;
            next = (next + 1) % times.length;
            size = Math.min(size + 1, times.length);
            int inWindow = 0;
            for (int i = 0; i < size; i++) {
                if (now - times[i] < windowMillis) {
                    inWindow++;
                }
            }
            return inWindow;
        }
    }
}
