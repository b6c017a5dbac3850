package org.cpmrouter.sip;

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
 * takes, so the bound is also a bound on queueing delay.
 *
 * <p>Shedding is logged, never per request at INFO (that would add work exactly when there is no time for it):
 * the first refusal after a calm period names its Call-ID, then one summary line every {@value #REPORT_MILLIS} ms
 * while it lasts. Thread-safe.
 */
public final class OverloadGuard {

    private static final Logger LOG = LoggerFactory.getLogger(OverloadGuard.class);
    private static final long REPORT_MILLIS = 5000;

    private final int maxInFlight;
    private final int retryAfterSeconds;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong shedSinceReport = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong();

    /**
     * @param maxInFlight       requests handed over and unanswered at most; 0 admits everything
     * @param retryAfterSeconds the {@code Retry-After} of the refusal, at least 1
     */
    public OverloadGuard(int maxInFlight, int retryAfterSeconds) {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("maxInFlight must be 0 (off) or positive, got " + maxInFlight);
        }
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds must be at least 1, got " + retryAfterSeconds);
        }
        this.maxInFlight = maxInFlight;
        this.retryAfterSeconds = retryAfterSeconds;
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
            if (now >= maxInFlight) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Whether a new request would be refused now (a hint: {@link #tryAdmit} decides). */
    public boolean isFull() {
        return maxInFlight > 0 && inFlight.get() >= maxInFlight;
    }

    /** Gives back the place of a request that has been answered. */
    public void release() {
        inFlight.decrementAndGet();
    }

    /** Records a refusal; logs the first of a burst with its Call-ID, then a summary every few seconds. */
    void refused(String callId) {
        shed.incrementAndGet();
        long sinceReport = shedSinceReport.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastReport.get();
        if (now - last >= REPORT_MILLIS && lastReport.compareAndSet(last, now)) {
            shedSinceReport.addAndGet(-sinceReport);
            if (sinceReport == 1) {
                LOG.warn("overload callId={} refused 503 (in flight {} of at most {}; Retry-After {} s)",
                        LogText.of(callId), inFlight.get(), maxInFlight, retryAfterSeconds);
            } else {
                LOG.warn("overload: refused {} requests with 503 in the last {} s (in flight {} of at most {}; "
                        + "{} refused since start)", sinceReport, REPORT_MILLIS / 1000, inFlight.get(), maxInFlight,
                        shed.get());
            }
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("overload callId={} refused 503", LogText.of(callId));
        }
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
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
