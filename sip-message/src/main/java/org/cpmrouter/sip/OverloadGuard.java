package org.cpmrouter.sip;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control for a {@link SipNode}: at most {@code maxInFlight} requests may be handed to the handler and
 * still be unanswered; past that a new request is refused at once, before a transaction or any routing work is
 * spent on it. Under UDP overload, queueing is what kills goodput (a request that waits longer than T1, 500 ms,
 * is retransmitted, so every second of backlog multiplies the load); refusing early keeps the backlog short, so
 * the requests that are admitted finish in time. Requests in flight grow with the rate times the time each one
 * takes (the next hop's answer included), so the bound is also a bound on queueing delay.
 *
 * <p><b>Bursts.</b> After any pause (a garbage collection, a descheduled process, a slow next hop) the requests that
 * arrived meanwhile come at once, and on the stack's paths, which read a socket in arrival order, they are admitted
 * before the next hops' answers that would let earlier ones finish (the lean UDP path takes answers first), so a
 * short pause fills a small bound although the node has the capacity. With a burst allowance of
 * {@code burstMillis}, requests past {@code maxInFlight} are still admitted, up to {@value #BURST_FACTOR} times it,
 * until the count has stayed at or above the bound for that long; a count that falls back below the bound within it
 * was a burst, not an overload. Once the guard has refused
 * a request it allows no burst for {@value #CALM_MILLIS} ms, so that under a lasting overload the bound is
 * {@code maxInFlight}, not its multiple.
 *
 * <p><b>Connections.</b> Over TCP and TLS a request can also wait before the guard sees it: the JAIN-SIP stack reads
 * a connection into an unbounded buffer ahead of the one thread that parses and dispatches that connection's
 * requests, so when a connection brings more than that thread gets through, its requests queue there unseen and
 * are answered after their senders gave up. With {@code connectionBacklogBytes}, a new request read from a connection
 * that has more than that many bytes waiting behind it is refused the same way ({@link #refusedBehindBacklog}), and
 * at the cost of reading its head only, so the connection's thread catches up instead of falling further behind.
 *
 * <p>Shedding is logged, never per request at INFO (that would add work exactly when there is no time for it):
 * the first refusal after a calm period names its Call-ID, then one summary line every {@value #REPORT_MILLIS} ms
 * while it lasts. Thread-safe; the burst's start is kept approximately (without a lock), which at worst lets a
 * burst start a little earlier or later.
 */
public final class OverloadGuard {

    /** How far past {@code maxInFlight} a burst may go. */
    public static final int BURST_FACTOR = 10;
    /** After a refusal, how long no burst is allowed. */
    public static final long CALM_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(OverloadGuard.class);
    private static final long REPORT_MILLIS = 5000;
    private static final long NOT_OVER = 0;

    private final int maxInFlight;
    private final int retryAfterSeconds;
    private final int connectionBacklogBytes;
    private final long burstNanos;
    private final int burstCeiling;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong shedSinceReport = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong();
    /** {@link System#nanoTime} when the count reached the bound, {@link #NOT_OVER} while it is below. */
    private final AtomicLong overSince = new AtomicLong(NOT_OVER);
    /** No burst before this {@link System#nanoTime} (the last refusal plus {@link #CALM_MILLIS}). */
    private volatile long calmFrom = System.nanoTime();

    /**
     * A guard without burst allowance: the bound is strict.
     *
     * @param maxInFlight       requests handed over and unanswered at most; 0 admits everything
     * @param retryAfterSeconds the {@code Retry-After} of the refusal, at least 1
     */
    public OverloadGuard(int maxInFlight, int retryAfterSeconds) {
        this(maxInFlight, retryAfterSeconds, 0);
    }

    /**
     * @param maxInFlight       requests handed over and unanswered at most, but for bursts; 0 admits everything
     * @param retryAfterSeconds the {@code Retry-After} of the refusal, at least 1
     * @param burstMillis       how long the count may stay past {@code maxInFlight} (up to {@value #BURST_FACTOR}
     *                          times it) before requests are refused; 0: never
     */
    public OverloadGuard(int maxInFlight, int retryAfterSeconds, long burstMillis) {
        this(maxInFlight, retryAfterSeconds, burstMillis, 0);
    }

    /**
     * @param maxInFlight            requests handed over and unanswered at most, but for bursts; 0 admits everything
     *                               (and refuses nothing behind a connection's backlog either)
     * @param retryAfterSeconds      the {@code Retry-After} of the refusal, at least 1
     * @param burstMillis            how long the count may stay past {@code maxInFlight} (up to
     *                               {@value #BURST_FACTOR} times it) before requests are refused; 0: never
     * @param connectionBacklogBytes a new request read from a TCP or TLS connection with more than this many bytes
     *                               received and not yet parsed behind it is refused; 0: never
     */
    public OverloadGuard(int maxInFlight, int retryAfterSeconds, long burstMillis, int connectionBacklogBytes) {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("maxInFlight must be 0 (off) or positive, got " + maxInFlight);
        }
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds must be at least 1, got " + retryAfterSeconds);
        }
        if (burstMillis < 0) {
            throw new IllegalArgumentException("burstMillis must be 0 (no bursts) or positive, got " + burstMillis);
        }
        if (connectionBacklogBytes < 0) {
            throw new IllegalArgumentException("connectionBacklogBytes must be 0 (off) or positive, got "
                    + connectionBacklogBytes);
        }
        this.maxInFlight = maxInFlight;
        this.retryAfterSeconds = retryAfterSeconds;
        this.connectionBacklogBytes = maxInFlight == 0 ? 0 : connectionBacklogBytes;
        this.burstNanos = TimeUnit.MILLISECONDS.toNanos(burstMillis);
        this.burstCeiling = (int) Math.min(Integer.MAX_VALUE, (long) maxInFlight * BURST_FACTOR);
    }

    /** A guard that admits everything (still counts what is in flight). */
    public static OverloadGuard off() {
        return new OverloadGuard(0, 1);
    }

    /** Takes a place for a new request, or returns false when the node is full. */
    public boolean tryAdmit() {
        if (maxInFlight == 0) {
            inFlight.incrementAndGet();
            return true;
        }
        while (true) {
            int now = inFlight.get();
            if (now >= maxInFlight && !burstAllows(now, true)) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Whether a new request would be refused now (a hint: {@link #tryAdmit} decides). */
    public boolean isFull() {
        if (maxInFlight == 0) {
            return false;
        }
        int now = inFlight.get();
        return now >= maxInFlight && !burstAllows(now, false);
    }

    /** Past the bound: whether a burst may still take {@code count + 1}; {@code start} marks the burst's start. */
    private boolean burstAllows(int count, boolean start) {
        if (burstNanos == 0 || count >= burstCeiling) {
            return false;
        }
        long now = System.nanoTime();
        if (now - calmFrom < 0) {
            return false;
        }
        long since = overSince.get();
        if (since == NOT_OVER) {
            if (start) {
                overSince.compareAndSet(NOT_OVER, now == NOT_OVER ? 1 : now);
            }
            return true;
        }
        return now - since < burstNanos;
    }

    /** Gives back the place of a request that has been answered. */
    public void release() {
        if (inFlight.decrementAndGet() < maxInFlight && overSince.get() != NOT_OVER) {
            overSince.set(NOT_OVER);
        }
    }

    /**
     * The most bytes a connection may have received and not parsed behind a new request before the request is
     * refused; 0: no such bound.
     */
    public int connectionBacklogBytes() {
        return connectionBacklogBytes;
    }

    /** Whether a new request with {@code unreadBytes} behind it on its connection is to be refused. */
    boolean behindBacklog(int unreadBytes) {
        return connectionBacklogBytes > 0 && unreadBytes > connectionBacklogBytes;
    }

    /** Records a refusal for the node being full; logs as {@link #record} does. */
    void refused(String callId) {
        record(callId, null);
    }

    /** Records a refusal for the backlog of the request's connection ({@code unreadBytes} behind it). */
    void refusedBehindBacklog(String callId, int unreadBytes) {
        record(callId, unreadBytes);
    }

    /**
     * Counts a refusal; logs the first of a burst with its Call-ID and cause (the count in flight, or the bytes
     * behind it on its connection when {@code unreadBytes} is not null), then a summary every few seconds.
     */
    private void record(String callId, Integer unreadBytes) {
        shed.incrementAndGet();
        if (burstNanos > 0) {
            calmFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CALM_MILLIS);
        }
        long sinceReport = shedSinceReport.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastReport.get();
        if (now - last >= REPORT_MILLIS && lastReport.compareAndSet(last, now)) {
            shedSinceReport.addAndGet(-sinceReport);
            if (sinceReport == 1 && unreadBytes != null) {
                LOG.warn("overload callId={} refused 503 ({} bytes behind it on its connection, at most {}; "
                        + "Retry-After {} s)", LogText.of(callId), unreadBytes, connectionBacklogBytes,
                        retryAfterSeconds);
            } else if (sinceReport == 1) {
                LOG.warn("overload callId={} refused 503 (in flight {}, {}; Retry-After {} s)",
                        LogText.of(callId), inFlight.get(), bounds(), retryAfterSeconds);
            } else {
                LOG.warn("overload: refused {} requests with 503 in the last {} s (in flight {}, {}; "
                        + "{} refused since start)", sinceReport, REPORT_MILLIS / 1000, inFlight.get(), bounds(),
                        shed.get());
            }
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("overload callId={} refused 503", LogText.of(callId));
        }
    }

    private String bounds() {
        return burstNanos == 0 ? "at most " + maxInFlight
                : "at most " + maxInFlight + ", " + burstCeiling + " for a burst of "
                        + TimeUnit.NANOSECONDS.toMillis(burstNanos) + " ms";
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The burst allowance in milliseconds; 0: none. */
    public long burstMillis() {
        return TimeUnit.NANOSECONDS.toMillis(burstNanos);
    }

    /** Requests handed over and not answered yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests refused since the node started. */
    public long refusedTotal() {
        return shed.get();
    }
}
