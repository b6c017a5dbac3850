package org.cpmrouter.routes;

import java.io.Closeable;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.cpmrouter.groupstore.CpmDataStores;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.routes.WarmUpEnds.Client;
import org.cpmrouter.routes.WarmUpEnds.Device;
import org.cpmrouter.routes.WarmUpEnds.Transport;
import org.cpmrouter.routes.auth.TemporaryGrant;
import org.cpmrouter.routes.auth.TrustedPeers;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.sipcore.SenderRateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Before the router says it is ready, pager-mode MESSAGEs from one throwaway subscriber to others go through its
 * own SIP path on loopback, from {@value #CLIENTS} clients at once, for at most {@code cpm.startup.warm-up-ms} and
 * less once the JIT compiler has calmed down (core, both Participating Functions, the four rule decisions, the
 * registrar lookup, delivery to a throwaway client that answers 200). It runs over each of UDP and TCP that
 * {@code cpm.sip.transports} has: the clients take turns (UDP, TCP, UDP...), each sends to a recipient reached over
 * UDP and one reached over TCP in turn, so all four ways in and out get compiled. A router that took
 * traffic straight after starting spent its first seconds interpreting and compiling that path, answered slowly, and
 * its overload control refused most of 2,000 messages/s for the first 10 s (bench/compare.sh, step cold); the JIT's
 * compiled code is the class's, so what this traffic compiles serves the real traffic after it (how much it takes
 * off: bench/README.md, "Cold start").
 *
 * <p>Nothing of it stays or leaves the host: the subscribers ({@code sip:cpm-warm-up-<node>-a@domain}, the sender,
 * and {@code -b} reached over UDP, {@code -c} over TCP; no credentials) and the recipients' bindings are written to
 * the stores for the warm-up and removed after it; the
 * clients' sockets (127.0.0.1) are trusted only while it runs, so they need no credentials, and its sender is held
 * to no per-sender rate limit while it runs (at the shipped 1 message/s the warm-up warmed the refusal path instead:
 * 30 of 38,347 MESSAGEs answered 200); the per-message decision, audit and outcome lines of its Call-IDs
 * ({@code cpm-warm-up-<node>-<random>-N}) are not written, one summary line is. Requests from anyone else during the
 * warm-up are handled as always. The SIP traffic counters of {@code /metrics} include the warm-up's messages.
 */
final class StartupWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmUp.class);
    /**
     * MESSAGEs sent and not yet answered at once, all clients: under cpm.overload.max-in-flight (100 on the stack's
     * UDP path by default, 1,000 on the lean one).
     */
    private static final int WINDOW = 48;
    /**
     * Clients sending at once: the requests of several sources at once are what the SIP stack's thread pool sees
     * under real traffic, and each client's loop is then not the bound on the warm-up's rate.
     */
    private static final int CLIENTS = 4;
    /** The JIT compiler counts as calm in a window of this many ms ... */
    private static final long CALM_MS = 500;
    /** ... when it compiled less than this share of it (its time summed over the compiler threads). */
    private static final double CALM_SHARE = 0.2;
    /** The warm-up sends at least this long (or the whole budget if shorter), calm compiler or not. */
    private static final long MIN_MS = 1500;
    /**
     * ... and until this many MESSAGEs were answered 200: about the invocations after which HotSpot compiles a method
     * with C2 in a JVM with its own thresholds (Tier4InvocationThreshold, 5,000), as one the router is embedded in has;
     * {@code bin/cpm-router} sets 300. On a loaded host the compiler is idle because the path barely runs, not
     * because it is compiled (a warm-up so stopped after 89 MESSAGEs).
     */
    private static final int MIN_ANSWERED = 5000;
    /** A MESSAGE unanswered this long is given up (the window moves on). */
    private static final long LOST_AFTER_MS = 2000;
    /** After the last MESSAGE, how long the answers of those still in flight are waited for. */
    private static final long SETTLE_MS = 2000;

    private final RouterConfig config;
    private final CpmDataStores stores;
    private final TrustedPeers trustedPeers;
    private final SenderRateLimit senderLimit;
    /** This node's, the same at each start: a warm-up cut short by a kill leaves names the next one removes. */
    private final String tag;
    /** This start's: the Call-IDs of its MESSAGEs. */
    private final String calls;
    private final String sender;
    /** The user part of the recipient reached over each transport: {@code <tag>-b} over UDP, {@code -c} over TCP. */
    private final Map<Transport, String> recipients;

    private StartupWarmUp(RouterConfig config, CpmDataStores stores, TrustedPeers trustedPeers,
                          SenderRateLimit senderLimit) {
        this.config = config;
        this.stores = stores;
        this.trustedPeers = trustedPeers;
        this.senderLimit = senderLimit;
        String node = config.get("cpm.cluster.node-name") + "|" + config.sipAddress();
        this.tag = "cpm-warm-up-" + Integer.toHexString(node.hashCode());
        this.calls = tag + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() >>> 8);
        this.sender = aor(tag + "-a");
        this.recipients = Map.of(Transport.UDP, tag + "-b", Transport.TCP, tag + "-c");
    }

    /** A throwaway subscriber's public identity. */
    private String aor(String user) {
        return "sip:" + user + "@" + config.get("cpm.domain");
    }

    /** Runs the warm-up as configured; never fails the start (a failed warm-up is one WARN line). */
    static void run(RouterConfig config, CpmDataStores stores, TrustedPeers trustedPeers,
                    SenderRateLimit senderLimit) {
        long budgetMs = config.getInt("cpm.startup.warm-up-ms");
        if (!Boolean.parseBoolean(config.get("cpm.startup.warm-up")) || budgetMs <= 0) {
            LOG.info("warm-up off (cpm.startup.warm-up): the first traffic runs through a cold SIP path");
            return;
        }
        List<Transport> transports = Transport.of(config.getList("cpm.sip.transports"));
        if (transports.isEmpty()) {
            LOG.info("warm-up skipped: it runs over UDP and TCP, and cpm.sip.transports has neither");
            return;
        }
        try {
            new StartupWarmUp(config, stores, trustedPeers, senderLimit)
                    .run(budgetMs, OverloadLimit.of(config.maxInFlight()), transports);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("warm-up interrupted, starting cold");
        } catch (Exception | LinkageError e) {
            LOG.warn("warm-up failed, starting cold: {}", StartFailure.describe(e));
            LOG.debug("warm-up failure", e);
        }
    }

    private void run(long budgetMs, OverloadLimit limit, List<Transport> transports)
            throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetSocketAddress router = routerAddress(loopback);
        long started = System.nanoTime();
        long compiledBefore = compileMillis();
        int clients = limit.clients();
        Counts counts = new Counts();
        QuietFilter quiet = QuietFilter.install(tag);
        List<Closeable> ends = new ArrayList<>();
        List<TemporaryGrant> admissions = new ArrayList<>();
        try (TemporaryGrant unlimited = senderLimit.exempt(sender)) {
            List<Device> devices = new ArrayList<>();
            for (Transport transport : transports) {
                Device device = WarmUpEnds.device(transport, loopback, StartupWarmUp::answer);
                ends.add(device);
                devices.add(device);
            }
            List<Client> sockets = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Client client = WarmUpEnds.client(transports.get(i % transports.size()), router);
                ends.add(client);
                sockets.add(client);
                admissions.add(trustedPeers.admit("127.0.0.1", client.localPort()));
            }
            try {
                stores.subscribers().save(new Subscriber(sender, List.of(), true, false));
                List<String> to = new ArrayList<>();
                for (Device device : devices) {
                    String user = recipients.get(device.transport());
                    String contact = "sip:" + user + "@127.0.0.1:" + device.port()
                            + device.transport().contactParameter();
                    stores.subscribers().save(new Subscriber(aor(user), List.of(), true, false));
                    stores.registrations().bind(aor(user), contact, Math.max(60, budgetMs / 1000 + 60),
                            tag + "-bind", 1);
                    to.add(user);
                }
                Deadline deadline = new Deadline(started, budgetMs);
                List<Thread> senders = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    Client client = sockets.get(i);
                    int first = i;
                    Thread sending = new Thread(() -> send(client, router, to, deadline, counts, first, clients,
                            limit.window()), "cpm-warm-up-sender-" + i);
                    sending.setDaemon(true);
                    sending.start();
                    senders.add(sending);
                }
                for (Thread sending : senders) {
                    sending.join();
                }
                counts.calm = deadline.calmAt;
            } finally {
                cleanUp();
            }
        } finally {
            admissions.forEach(TemporaryGrant::close);
            closeAll(ends);
            quiet.remove();
        }
        LOG.info("warm-up: {} MESSAGEs through the SIP path on loopback ({}) in {} ms from {} clients ({} answered "
                + "200, {} other, {} unanswered), JIT compiling {} ms, {}; their per-message log and audit lines were "
                + "not written (Call-IDs {}-N)", counts.sent.get(),
                transports.stream().map(Transport::name).collect(Collectors.joining(" and ")),
                (System.nanoTime() - started) / 1_000_000, clients,
                counts.ok.get(), counts.other.get(), counts.lost.get(), compileMillis() - compiledBefore,
                counts.calm > 0 ? "stopped when the JIT compiler calmed down after " + counts.calm + " ms"
                        : "the JIT compiler still busy at the end of cpm.startup.warm-up-ms", calls);
    }

    /** How many warm-up clients, with how many MESSAGEs each unanswered at most. */
    private record OverloadLimit(int clients, int window) {

        /** {@link #CLIENTS} clients sharing {@link #WINDOW}, or fewer: well under cpm.overload.max-in-flight. */
        static OverloadLimit of(int maxInFlight) {
            int total = maxInFlight == 0 ? WINDOW : Math.max(1, Math.min(WINDOW, maxInFlight / 2));
            int clients = Math.min(CLIENTS, total);
            return new OverloadLimit(clients, Math.max(1, total / clients));
        }
    }

    /**
     * When the warm-up stops: at {@code cpm.startup.warm-up-ms}, or earlier once the JIT compiler has been nearly
     * idle for {@link #CALM_MS} ms (less than {@link #CALM_SHARE} of the time compiling), after at least
     * {@link #MIN_MS} and {@link #MIN_ANSWERED} answered MESSAGEs: on an idle host that is as warm as this traffic
     * makes the path, on a loaded one the budget is the bound.
     */
    private static final class Deadline {

        private final long started;
        private final long end;
        private long windowStart;
        private long compiledAtWindowStart;
        private volatile boolean over;
        private volatile long calmAt;

        Deadline(long started, long budgetMs) {
            this.started = started;
            this.end = started + budgetMs * 1_000_000;
            this.windowStart = started;
            this.compiledAtWindowStart = compileMillis();
        }

        /** Whether the warm-up should stop sending; called by every sender, often. */
        synchronized boolean over(long now, int answered) {
            if (over) {
                return true;
            }
            if (now >= end) {
                over = true;
                return true;
            }
            if (now - windowStart >= CALM_MS * 1_000_000) {
                long compiled = compileMillis();
                boolean calm = compiled - compiledAtWindowStart < CALM_MS * CALM_SHARE;
                if (calm && now - started >= MIN_MS * 1_000_000 && answered >= MIN_ANSWERED) {
                    calmAt = (now - started) / 1_000_000;
                    over = true;
                    return true;
                }
                windowStart = now;
                compiledAtWindowStart = compiled;
            }
            return false;
        }
    }

    /** What the senders counted, together. */
    private static final class Counts {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger other = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        volatile long calm;
    }

    private static void closeAll(List<Closeable> ends) {
        for (Closeable end : ends) {
            try {
                end.close();
            } catch (IOException e) {
                LOG.debug("warm-up socket not closed: {}", StartFailure.describe(e));
            }
        }
    }

    /** Removes what the warm-up wrote: the bindings, the subscribers, anything held for them. */
    private void cleanUp() {
        int held = stores.deferred().purge(sender);
        stores.subscribers().remove(sender);
        for (String user : recipients.values()) {
            stores.registrations().unbindAll(aor(user));
            stores.subscribers().remove(aor(user));
            held += stores.deferred().purge(aor(user));
        }
        if (held > 0) {
            LOG.warn("warm-up: removed {} held message(s) of its own throwaway subscribers", held);
        }
    }

    /** The router's own SIP address as seen from this host: loopback for a wildcard listener. */
    private InetSocketAddress routerAddress(InetAddress loopback) throws IOException {
        InetAddress host = InetAddress.getByName(config.get("cpm.sip.host"));
        return new InetSocketAddress(host.isAnyLocalAddress() ? loopback : host, config.getInt("cpm.sip.port"));
    }

    /**
     * One client: sends MESSAGEs, at most {@code window} unanswered, until the deadline; then waits for the last
     * answers. Its MESSAGEs are numbered {@code first}, {@code first + step}, ... so the Call-IDs stay unique; they go
     * to the recipients {@code to} (their user parts) in turn.
     */
    private void send(Client client, InetSocketAddress router, List<String> to, Deadline deadline, Counts counts,
                      int first, int step, int window) {
        Map<String, Long> outstanding = new HashMap<>();
        int n = first;
        int sequence = 0;
        long settleBy = 0;
        try {
            while (true) {
                long now = System.nanoTime();
                boolean sending = !deadline.over(now, counts.ok.get());
                if (!sending) {
                    settleBy = settleBy == 0 ? now + SETTLE_MS * 1_000_000 : settleBy;
                    if (outstanding.isEmpty() || now >= settleBy) {
                        counts.lost.addAndGet(outstanding.size());
                        return;
                    }
                }
                while (sending && outstanding.size() < window) {
                    String callId = calls + "-" + n;
                    String user = to.get(sequence % to.size());
                    boolean byAddress = sequence / to.size() % 2 == 1;
                    client.send(message(callId, n, client, user, byAddress, router)
                            .getBytes(StandardCharsets.UTF_8));
                    outstanding.put(callId, now);
                    counts.sent.incrementAndGet();
                    n += step;
                    sequence++;
                }
                String response = client.receive();
                if (response == null) {
                    counts.lost.addAndGet(expire(outstanding, now));
                    continue;
                }
                int status = status(response);
                if (status >= 200 && outstanding.remove(header(response, "Call-ID", "i")) != null) {
                    if (status == 200) {
                        counts.ok.incrementAndGet();
                    } else if (counts.other.incrementAndGet() == 1) {
                        LOG.warn("warm-up: a MESSAGE was answered {}", response.lines().findFirst().orElse(""));
                    }
                }
            }
        } catch (IOException e) {
            counts.lost.addAndGet(outstanding.size());
            LOG.warn("warm-up client ({}) stopped: {}", client.transport(), StartFailure.describe(e));
        }
    }

    private static int expire(Map<String, Long> outstanding, long now) {
        int before = outstanding.size();
        outstanding.values().removeIf(sentAt -> now - sentAt > LOST_AFTER_MS * 1_000_000);
        return before - outstanding.size();
    }

    /**
     * The pager-mode MESSAGE of the router's benchmark (bench/compare.sh), from the throwaway sender, in the two
     * shapes clients send: addressed to the domain, or ({@code byAddress}) to the router's own address with the
     * sender's From at the client's address and a disposition request in the CPIM headers, as SIPp's scenario does
     * (so the parsing and address resolution of both get compiled).
     */
    private String message(String callId, int n, Client client, String user, boolean byAddress,
                           InetSocketAddress router) {
        String hostPort = router.getAddress().getHostAddress() + ":" + router.getPort();
        String recipient = aor(user);
        String to = byAddress ? "sip:" + user + "@" + hostPort : recipient;
        String from = byAddress ? "sip:" + tag + "-a@127.0.0.1:" + client.localPort() : sender;
        String body = "From: <" + sender + ">\r\nTo: <" + recipient + ">\r\n"
                + "DateTime: 2024-01-01T00:00:00.000Z\r\n"
                + "NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: " + callId + "\r\n"
                + (byAddress ? "imdn.Disposition-Notification: positive-delivery\r\n" : "") + "\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 7\r\n\r\nwarm-up";
        return "MESSAGE " + to + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + client.transport().name() + " 127.0.0.1:" + client.localPort()
                + ";branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <" + from + ">;tag=" + n + "\r\n"
                + "To: <" + to + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Accept-Contact: *;+g.oma.sip-im\r\n"
                + "P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg\r\n"
                + "Content-Type: message/cpim\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** The recipients' client: a 200 to every MESSAGE, nothing to anything else. */
    private static String answer(String request) {
        return request.startsWith("MESSAGE ") ? ok(request) : null;
    }

    /** 200 OK to a request: its Via, From, To (with a tag), Call-ID and CSeq, as RFC 3261 section 8.2.6.2 says. */
    static String ok(String request) {
        StringBuilder response = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "via", "v", "from", "f", "call-id", "i", "cseq" -> response.append(line).append("\r\n");
                case "to", "t" -> response.append(line).append(line.contains(";tag=") ? "" : ";tag=w").append("\r\n");
                default -> {
                }
            }
        }
        return response.append("Content-Length: 0\r\n\r\n").toString();
    }

    private static int status(String response) {
        if (!response.startsWith("SIP/2.0 ") || response.length() < 11) {
            return 0;
        }
        try {
            return Integer.parseInt(response.substring(8, 11));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The value of a header (full or compact name), or null. */
    static String header(String message, String name, String compact) {
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                return null;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                String n = line.substring(0, colon).trim();
                if (n.equalsIgnoreCase(name) || n.equalsIgnoreCase(compact)) {
                    return line.substring(colon + 1).trim();
                }
            }
        }
        return null;
    }

    private static long compileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /**
     * Drops the log events (INFO and below) that name the warm-up's Call-IDs, while it runs: its decision, audit
     * and outcome lines. Events of other traffic are untouched.
     */
    private static final class QuietFilter extends TurboFilter {

        private final String tag;
        private final LoggerContext context;

        private QuietFilter(String tag, LoggerContext context) {
            this.tag = tag;
            this.context = context;
        }

        static QuietFilter install(String tag) {
            LoggerContext context = LoggerFactory.getILoggerFactory() instanceof LoggerContext c ? c : null;
            QuietFilter filter = new QuietFilter(tag, context);
            if (context != null) {
                filter.start();
                context.addTurboFilter(filter);
            }
            return filter;
        }

        void remove() {
            if (context != null) {
                context.getTurboFilterList().remove(this);
            }
        }

        @Override
        public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                                  Object[] params, Throwable t) {
            if (level == null || level.isGreaterOrEqual(Level.WARN)) {
                return FilterReply.NEUTRAL;
            }
            if (format != null && format.contains(tag)) {
                return FilterReply.DENY;
            }
            if (params != null) {
                for (Object param : params) {
                    if (param != null && String.valueOf(param).contains(tag)) {
                        return FilterReply.DENY;
                    }
                }
            }
            return FilterReply.NEUTRAL;
        }
    }
}
