package org.cpmrouter.routes.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices clients that never answer the digest challenge, the sign of a client that cannot use what was offered
 * (baresip with two algorithms on offer fails without sending anything), and says so once per client in the log,
 * with the setting that helps. A client is its source host, the identity it claims and its {@code User-Agent};
 * its challenge counts as unanswered when no request of that client has authenticated within
 * {@link #ANSWER_WINDOW_MS} of it. At most {@link #MAX_TRACKED} challenges and as many reported clients are
 * remembered, so a flood of requests that are never answered costs bounded memory (past it, new ones go
 * unnoticed, which only loses a log line).
 */
final class UnansweredChallenges {

    /** How long a client has to answer: one transaction's lifetime (RFC 3261 Timer F, 64 * T1). */
    static final long ANSWER_WINDOW_MS = 32_000;
    static final int MAX_TRACKED = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(UnansweredChallenges.class);

    private record Challenge(long at, String host, String identity, String userAgent, String callId,
                             List<DigestAlgorithm> offered) {
    }

    private final Map<String, Challenge> pending = new ConcurrentHashMap<>();
    private final Set<String> reported = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_TRACKED;
                }
            }));
    private final LongSupplier clock;
    private final AtomicLong nextSweep = new AtomicLong();

    UnansweredChallenges(LongSupplier clock) {
        this.clock = clock;
    }

    /** A client was sent a fresh challenge for a request without credentials; {@code callId} as logged (escaped). */
    void challenged(String host, String identity, String userAgent, String callId, List<DigestAlgorithm> offered) {
        long now = clock.getAsLong();
        sweep(now);
        String client = key(host, identity, userAgent);
        if (pending.size() < MAX_TRACKED || pending.containsKey(client)) {
            pending.putIfAbsent(client, new Challenge(now, host, identity, userAgent, callId, offered));
        }
    }

    /** A request of this client authenticated: it answers challenges. */
    void answered(String host, String identity, String userAgent) {
        if (!pending.isEmpty()) {
            pending.remove(key(host, identity, userAgent));
            sweep(clock.getAsLong());
        }
    }

    /** Logs (once per client) the challenges older than the answer window, and forgets them. */
    void sweep(long now) {
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + 1_000)) {
            return;
        }
        pending.entrySet().removeIf(e -> {
            Challenge c = e.getValue();
            if (now - c.at() < ANSWER_WINDOW_MS) {
                return false;
            }
            if (reported.add(e.getKey())) {
                LOG.warn("auth callId={} client {} (User-Agent {}) never answered the digest challenge for {} that "
                        + "offered {}; if it takes only MD5 or only the first challenge, add the start of its "
                        + "User-Agent to cpm.auth.md5-only-user-agents (reported once per client)", c.callId(),
                        c.host(), c.userAgent() == null ? "none" : LogText.of(c.userAgent()), LogText.of(c.identity()),
                        c.offered().stream().map(DigestAlgorithm::token).toList());
            }
            return true;
        });
    }

    private static String key(String host, String identity, String userAgent) {
        return host + '\n' + identity + '\n' + userAgent;
    }
}
