package org.cpmrouter.routes.auth;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.cpmrouter.groupstore.Ban;
import org.cpmrouter.groupstore.BanStore;
import org.cpmrouter.routes.config.SourceBanSettings;
import org.cpmrouter.sip.SecurityEvents;
import org.cpmrouter.sip.SourceScreen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source addresses the router refuses for a while, and the screen every new request passes before the SIP
 * stack spends anything on it ({@link SourceScreen}): a banned source's request is answered
 * {@code 403 Source Banned ...} at once, statelessly (over UDP before it is parsed), without checking credentials;
 * a source that sends more than {@code cpm.flood.max-requests} requests in {@code cpm.flood.window-seconds} is
 * banned for {@code cpm.flood.ban-seconds} ({@link FloodMeter}); {@link AuthFailures} bans sources that fail to
 * authenticate too often. Trusted peers ({@code cpm.sip.trusted-peers}) are never counted nor banned.
 *
 * <p>Why 403 and not a silent drop: a drop costs an attacker a time-out and us nothing, but a real user behind a
 * NAT shared with a guessing phone, or whose own phone keeps a wrong password, would then see only time-outs, with
 * nothing to tell support. A 403 costs about what the overload guard's 503 costs (measured in docs/security.md), its
 * reason phrase says what happened, and 403 tells a client not to retry the request (RFC 3261 section 21.4.4). It
 * is no amplifier: the answer is shorter than the request and goes to the datagram's source.
 *
 * <p>The bans are kept in the {@link BanStore} (the {@code bans} cache, replicated in a cluster) and mirrored here
 * in memory, so the screen is one map lookup; the store tells this list of bans set and lifted on any node.
 * Each ban is logged once ({@link SecurityEvents#ban}); refused requests are counted ({@link #bannedRequests()}) and
 * summed up in one line a minute while they come, never one line each (at thousands a second that would be the
 * cost). Thread-safe.
 */
public final class BanList implements SourceScreen {

    private static final Logger LOG = LoggerFactory.getLogger(BanList.class);
    private static final long REPORT_MILLIS = 60_000;
    static final String AUTH_FAILURES = "auth-failures";
    static final String FLOOD = "flood";
    private static final Refusal BANNED_AUTH = new Refusal(403, "Source Banned (Too Many Failed Authentications)");
    private static final Refusal BANNED_FLOOD = new Refusal(403, "Source Banned (Request Flood)");
    private static final Refusal BANNED_OTHER = new Refusal(403, "Source Banned");

    private final BanStore store;
    private final TrustedPeers trustedPeers;
    private final Set<String> exempt;
    private final FloodMeter flood;
    private final int floodBanSeconds;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Ban> active = new ConcurrentHashMap<>();
    private final LongAdder bannedRequests = new LongAdder();
    private final LongAdder authBans = new LongAdder();
    private final LongAdder floodBans = new LongAdder();
    private final AtomicLong sinceReport = new AtomicLong();
    private final AtomicLong lastReport;

    BanList(BanStore store, TrustedPeers trustedPeers, SourceBanSettings settings, LongSupplier clock) {
        this.store = store;
        this.trustedPeers = trustedPeers;
        this.exempt = settings.exemptAddresses();
        this.flood = new FloodMeter(settings.floodMaxRequests(), settings.floodWindowSeconds() * 1000L, clock);
        this.floodBanSeconds = settings.floodBanSeconds();
        this.clock = clock;
        this.lastReport = new AtomicLong(clock.getAsLong());
        store.watch(this::refresh);
        store.all().forEach(ban -> active.put(ban.address(), ban));
    }

    /** The list on the system clock, over the stores' {@code bans}. */
    public static BanList from(BanStore store, TrustedPeers trustedPeers, SourceBanSettings settings) {
        return new BanList(store, trustedPeers, settings, System::currentTimeMillis);
    }

    @Override
    public Refusal screen(String source) {
        if (!active.isEmpty()) {
            Ban ban = active.get(source);
            if (ban != null) {
                if (ban.activeAt(clock.getAsLong())) {
                    refusedWhileBanned();
                    return refusalFor(ban.reason());
                }
                active.remove(source, ban);
            }
        }
        if (flood.enabled() && !neverBanned(source)) {
            int count = flood.count(source);
            if (count > 0) {
                ban(source, FLOOD, count, floodBanSeconds, "more than " + (count - 1) + " requests within the "
                        + "flood window (cpm.flood.max-requests)");
                bannedRequests.increment();
                return BANNED_FLOOD;
            }
        }
        return null;
    }

    /** Whether a source is banned now. */
    public boolean isBanned(String source) {
        Ban ban = active.get(source);
        return ban != null && ban.activeAt(clock.getAsLong());
    }

    /**
     * Bans a source for {@code seconds} (never a trusted peer nor an exempt address), logged once with what earned it.
     *
     * @return false for a trusted peer or an exempt address, which is never banned
     */
    boolean ban(String source, String reason, long count, int seconds, String detail) {
        if (neverBanned(source)) {
            return false;
        }
        long now = clock.getAsLong();
        Ban ban = new Ban(source, reason, count, now, now + seconds * 1000L);
        active.put(source, ban);
        store.ban(ban);
        (FLOOD.equals(reason) ? floodBans : authBans).increment();
        SecurityEvents.ban(source, reason, count, seconds, detail);
        return true;
    }

    /** A trusted peer, or a proxy listed in {@code cpm.bans.exempt-addresses}. */
    private boolean neverBanned(String source) {
        return trustedPeers.isTrustedAddress(source) || exempt.contains(source);
    }

    /** The bans in force now, for the admin API. */
    public List<Ban> bans() {
        return store.all();
    }

    /** Requests refused because their source was banned, since start. */
    public long bannedRequests() {
        return bannedRequests.sum();
    }

    /** Sources this node banned for failed authentications, since start. */
    public long authFailureBans() {
        return authBans.sum();
    }

    /** Sources this node banned for flooding, since start. */
    public long floodBans() {
        return floodBans.sum();
    }

    /** Keeps the mirror in step with the store: a ban set or lifted here or on another node. */
    private void refresh(String address) {
        store.find(address).ifPresentOrElse(ban -> active.put(address, ban), () -> {
            active.remove(address);
            flood.forget(address);
        });
    }

    private static Refusal refusalFor(String reason) {
        return AUTH_FAILURES.equals(reason) ? BANNED_AUTH : FLOOD.equals(reason) ? BANNED_FLOOD : BANNED_OTHER;
    }

    private void refusedWhileBanned() {
        bannedRequests.increment();
        long pending = sinceReport.incrementAndGet();
        long now = clock.getAsLong();
        long last = lastReport.get();
        if (now - last >= REPORT_MILLIS && lastReport.compareAndSet(last, now)) {
            sinceReport.addAndGet(-pending);
            LOG.warn("security: banned sources sent {} requests in the last {} s, all refused 403 ({} bans in force, "
                    + "{} refused since start)", pending, (now - last) / 1000, active.size(), bannedRequests.sum());
        }
    }
}
