package org.cpmrouter.routes.policy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.cpmrouter.rules.facts.SmsSentBySender;

/**
 * The SMS each sender has had sent lately, for the quotas of sms-quota.drl: the times of a sender's SMS of the last
 * 24 hours, counted when the SMSC took each one, so that the rules see how many fall in the last hour and the last
 * day (sliding windows). Per router node and in memory: a restart starts every count at zero, and a cluster of N
 * nodes lets a sender spread over them have up to N times the quota. Senders without an SMS in a day are forgotten.
 * Thread-safe.
 */
public final class SmsCounts {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Deque<Long>> sent = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private volatile long lastSweep;

    public SmsCounts(LongSupplier clock) {
        this.clock = clock;
        this.lastSweep = clock.getAsLong();
    }

    /** The fact for the rules: what {@code sender} had sent in the last hour and day. */
    public SmsSentBySender of(String sender) {
        long now = clock.getAsLong();
        Deque<Long> times = sent.get(sender);
        if (times == null) {
            return new SmsSentBySender(sender, 0, 0);
        }
        synchronized (times) {
            prune(times, now);
            int lastHour = 0;
            for (long t : times) {
                if (now - t < HOUR) {
                    lastHour++;
                }
            }
            return new SmsSentBySender(sender, lastHour, times.size());
        }
    }

    /** One SMS of {@code sender} taken by the SMSC now. */
    public void sent(String sender) {
        long now = clock.getAsLong();
        Deque<Long> times = sent.computeIfAbsent(sender, s -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
        }
        if (now - lastSweep > HOUR) {
            lastSweep = now;
            sent.values().removeIf(t -> {
                synchronized (t) {
                    prune(t, now);
                    return t.isEmpty();
                }
            });
        }
    }

    /** An SMS refused by a quota rule, counted. */
    void refused() {
        refused.increment();
    }

    /** SMS refused by a quota rule since start. */
    public long refusals() {
        return refused.sum();
    }

    private static void prune(Deque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= DAY) {
            times.removeFirst();
        }
    }
}
