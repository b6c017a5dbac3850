package org.cpmrouter.routes.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Requests per source address in fixed sampling windows, as Kamailio's pike counts them: a source that sends more
 * than {@code maxRequests} requests within one window of {@code windowMillis} is flooding. Counting costs a map
 * lookup and an atomic increment per request; sources idle for a whole window are forgotten at the next sweep, so
 * memory follows the active sources. Thread-safe.
 */
final class FloodMeter {

    private final int maxRequests;
    private final long windowMillis;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    /** @param maxRequests 0: never flooding */
    FloodMeter(int maxRequests, long windowMillis, LongSupplier clock) {
        this.maxRequests = maxRequests;
        this.windowMillis = windowMillis;
        this.clock = clock;
        this.lastSweep = clock.getAsLong();
    }

    boolean enabled() {
        return maxRequests > 0;
    }

    /**
     * Counts one request of {@code source}; the number of requests in its window when this one went past the limit
     * (once per window), else 0.
     */
    int count(String source) {
        if (maxRequests == 0) {
            return 0;
        }
        long now = clock.getAsLong();
        Window window = windows.get(source);
        if (window == null) {
            window = windows.computeIfAbsent(source, s -> new Window(now));
        }
        if (now - window.start >= windowMillis) {
            synchronized (window) {
                if (now - window.start >= windowMillis) {
                    window.start = now;
                    window.count.set(0);
                }
            }
        }
        int n = window.count.incrementAndGet();
        sweep(now);
        return n == maxRequests + 1 ? n : 0;
    }

    /** Forgets the count of a source (its ban has been lifted: it starts afresh). */
    void forget(String source) {
        windows.remove(source);
    }

    private void sweep(long now) {
        if (now - lastSweep > windowMillis * 2 && windows.size() > 1024) {
            lastSweep = now;
            windows.values().removeIf(w -> now - w.start > windowMillis);
        }
    }

    private static final class Window {
        volatile long start;
        final AtomicInteger count = new AtomicInteger();

        Window(long start) {
            this.start = start;
        }
    }
}
