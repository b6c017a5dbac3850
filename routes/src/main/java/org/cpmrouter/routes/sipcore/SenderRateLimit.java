package org.cpmrouter.routes.sipcore;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.cpmrouter.routes.auth.TemporaryGrant;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.sip.SecurityEvents;
import org.cpmrouter.sip.SipResponseException;

/**
 * A per-sender rate limit on CPM Messages: a token bucket per asserted sender identity, refilled at
 * {@code cpm.limits.sender-rate} messages per second up to {@code cpm.limits.sender-burst}. A sender over it gets
 * {@code 503 Service Unavailable} with {@code Retry-After} (SIP's 429 means something else), and each refusal is
 * one security event line (reason {@code sender-rate}). A rate of 0 turns it off. Buckets of senders idle for a
 * minute are dropped, so memory follows the active senders.
 *
 * <p>Why 503 with Retry-After: it is the one SIP answer that tells a client to send again later and when (RFC 3261
 * section 21.5.4), and clients honour it; 429 in SIP is "Provide Referrer Identity" (RFC 3892), and a 4xx without
 * a time would leave the client to guess. What a 503 also means, "try another server" (RFC 3263), does no harm:
 * every node holds a sender to the same limit.
 */
public final class SenderRateLimit {

    private static final long IDLE_NANOS = 60_000_000_000L;

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    /** Senders not held to the limit for a while: the startup warm-up's throwaway sender, none mostly. */
    private final Set<String> exempt = ConcurrentHashMap.newKeySet();
    private final LongAdder refused = new LongAdder();
    private volatile long lastSweep;

    /** The limit of {@code cpm.limits.sender-rate} and {@code cpm.limits.sender-burst}, on the system clock. */
    public static SenderRateLimit from(RouterConfig config) {
        return new SenderRateLimit(Double.parseDouble(config.get("cpm.limits.sender-rate")),
                Double.parseDouble(config.get("cpm.limits.sender-burst")), System::nanoTime);
    }

    public SenderRateLimit(double perSecond, double burst, LongSupplier nanoTime) {
        if (perSecond < 0 || burst < 1 && perSecond > 0) {
            throw new IllegalArgumentException("cpm.limits.sender-rate must be >= 0 and cpm.limits.sender-burst >= 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.lastSweep = nanoTime.getAsLong();
    }

    boolean enabled() {
        return perSecond > 0;
    }

    /** Messages refused with 503 since start. */
    public long refusals() {
        return refused.sum();
    }

    /**
     * Holds {@code sender} to no limit until the returned exemption is closed: for the router's own startup
     * warm-up, whose one throwaway sender sends hundreds of messages a second before the ready line and would
     * otherwise warm the refusal path instead of the delivery path. Never for a real subscriber.
     */
    public TemporaryGrant exempt(String sender) {
        exempt.add(sender);
        return () -> exempt.remove(sender);
    }

    /** Takes one message from the sender's allowance, or refuses with 503 and Retry-After. */
    void acquire(String sender) {
        acquire(sender, null, null);
    }

    /**
     * Takes one message from the sender's allowance, or refuses with 503 and Retry-After, logged as a security event
     * with the source address and Call-ID.
     */
    void acquire(String sender, String source, String callId) {
        if (!enabled() || sender == null || !exempt.isEmpty() && exempt.contains(sender)) {
            return;
        }
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(sender, s -> new Bucket(burst, now));
        double wait;
        synchronized (bucket) {
            double refill = (now - bucket.at) / 1e9 * perSecond;
            bucket.tokens = Math.min(burst, bucket.tokens + refill);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                wait = 0;
            } else {
                wait = (1 - bucket.tokens) / perSecond;
            }
        }
        sweep(now);
        if (wait > 0) {
            long retryAfter = Math.max(1, (long) Math.ceil(wait));
            refused.increment();
            SecurityEvents.refused(source, "sender-rate", 503, sender, callId, "over cpm.limits.sender-rate "
                    + perSecond + "/s with burst " + burst + "; Retry-After " + retryAfter);
            throw new SipResponseException(503, "Sender Rate Limit Exceeded", List.of("Retry-After: " + retryAfter));
        }
    }

    private void sweep(long now) {
        if (now - lastSweep > IDLE_NANOS) {
            lastSweep = now;
            buckets.entrySet().removeIf(e -> now - e.getValue().at > IDLE_NANOS);
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
