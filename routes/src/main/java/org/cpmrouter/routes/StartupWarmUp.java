package org.cpmrouter.routes;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.cpmrouter.groupstore.CpmDataStores;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.routes.auth.TrustedPeers;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.sipcore.SenderRateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Before the router says it is ready, pager-mode MESSAGEs from one throwaway subscriber to another go through its
 * own SIP path over UDP on loopback for {@code cpm.startup.warm-up-ms} (core, both Participating Functions, the four
 * rule decisions, the registrar lookup, delivery to a throwaway client that answers 200). A router that took traffic
 * straight after starting spent its first seconds interpreting and compiling that path, answered slowly, and its
 * overload control refused most of 2,000 messages/s for the first 10 s (bench/compare.sh, step cold); the JIT's
 * compiled code is the class's, so what this traffic compiles serves the real traffic after it (how much it takes
 * off: bench/README.md, "Cold start").
 *
 * <p>Nothing of it stays or leaves the host: the two subscribers ({@code sip:cpm-warm-up-<node>-a/-b@domain}, no
 * credentials) and the recipient's binding are written to the stores for the warm-up and removed after it; the
 * client's socket (127.0.0.1) is trusted and the throwaway sender held to no {@code cpm.limits.sender-rate} only
 * while it runs, so it needs no credentials and is not refused as a flood; the per-message decision,
 * audit and outcome lines of its Call-IDs ({@code cpm-warm-up-<node>-<random>-N}) are not written, one summary line
 * is.
 * Requests from anyone else during the warm-up are handled as always. The SIP traffic counters of
 * {@code /metrics} include the warm-up's messages.
 */
final class StartupWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmUp.class);
    /** MESSAGEs sent and not yet answered at once: well under cpm.overload.max-in-flight (100 by default). */
    private static final int WINDOW = 24;
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
    private final String recipient;

    private StartupWarmUp(RouterConfig config, CpmDataStores stores, TrustedPeers trustedPeers,
                          SenderRateLimit senderLimit) {
        this.config = config;
        this.stores = stores;
        this.trustedPeers = trustedPeers;
        this.senderLimit = senderLimit;
        String node = config.get("cpm.cluster.node-name") + "|" + config.sipAddress();
        this.tag = "cpm-warm-up-" + Integer.toHexString(node.hashCode());
        this.calls = tag + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() >>> 8);
        this.sender = "sip:" + tag + "-a@" + config.get("cpm.domain");
        this.recipient = "sip:" + tag + "-b@" + config.get("cpm.domain");
    }

    /** Runs the warm-up as configured; never fails the start (a failed warm-up is one WARN line). */
    static void run(RouterConfig config, CpmDataStores stores, TrustedPeers trustedPeers,
                    SenderRateLimit senderLimit) {
        long budgetMs = config.getInt("cpm.startup.warm-up-ms");
        if (!Boolean.parseBoolean(config.get("cpm.startup.warm-up")) || budgetMs <= 0) {
            LOG.info("warm-up off (cpm.startup.warm-up): the first traffic runs through a cold SIP path");
            return;
        }
        if (!config.getList("cpm.sip.transports").contains("udp")) {
            LOG.info("warm-up skipped: it runs over UDP, and cpm.sip.transports has no udp");
            return;
        }
        try {
            new StartupWarmUp(config, stores, trustedPeers, senderLimit).run(budgetMs);
        } catch (Exception | LinkageError e) {
            LOG.warn("warm-up failed, starting cold: {}", StartFailure.describe(e));
            LOG.debug("warm-up failure", e);
        }
    }

    private void run(long budgetMs) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetSocketAddress router = routerAddress(loopback);
        long started = System.nanoTime();
        long compiledBefore = compileMillis();
        Counts counts;
        QuietFilter quiet = QuietFilter.install(tag);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(loopback, 0));
             DatagramSocket uas = new DatagramSocket(new InetSocketAddress(loopback, 0));
             TrustedPeers.Admission trusted = trustedPeers.admit("127.0.0.1", client.getLocalPort());
             SenderRateLimit.Exemption unlimited = senderLimit.exempt(sender)) {
            String contact = "sip:" + tag + "-b@127.0.0.1:" + uas.getLocalPort();
            Thread answering = answer(uas);
            try {
                stores.subscribers().save(new Subscriber(sender, List.of(), true, false));
                stores.subscribers().save(new Subscriber(recipient, List.of(), true, false));
                stores.registrations().bind(recipient, contact, Math.max(60, budgetMs / 1000 + 60), tag + "-bind", 1);
                counts = send(client, router, started + budgetMs * 1_000_000);
            } finally {
                answering.interrupt();
                cleanUp();
            }
        } finally {
            quiet.remove();
        }
        LOG.info("warm-up: {} MESSAGEs through the SIP path on loopback in {} ms ({} answered 200, {} other, {} "
                + "unanswered), JIT compiling {} ms; their per-message log and audit lines were not written (Call-IDs "
                + "{}-N)", counts.sent, (System.nanoTime() - started) / 1_000_000, counts.ok, counts.other,
                counts.lost, compileMillis() - compiledBefore, calls);
    }

    /** Removes what the warm-up wrote: the binding, the two subscribers, anything held for them. */
    private void cleanUp() {
        stores.registrations().unbindAll(recipient);
        stores.subscribers().remove(sender);
        stores.subscribers().remove(recipient);
        int held = stores.deferred().purge(recipient) + stores.deferred().purge(sender);
        if (held > 0) {
            LOG.warn("warm-up: removed {} held message(s) of its own throwaway subscribers", held);
        }
    }

    /** The router's own SIP address as seen from this host: loopback for a wildcard listener. */
    private InetSocketAddress routerAddress(InetAddress loopback) throws IOException {
        InetAddress host = InetAddress.getByName(config.get("cpm.sip.host"));
        return new InetSocketAddress(host.isAnyLocalAddress() ? loopback : host, config.getInt("cpm.sip.port"));
    }

    private record Counts(int sent, int ok, int other, int lost) {
    }

    /** Sends MESSAGEs, at most {@link #WINDOW} unanswered, until the deadline; then waits for the last answers. */
    private Counts send(DatagramSocket client, InetSocketAddress router, long deadline) throws IOException {
        Map<String, Long> outstanding = new HashMap<>();
        byte[] buffer = new byte[8192];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        client.setSoTimeout(20);
        int sent = 0;
        int ok = 0;
        int other = 0;
        int lost = 0;
        long settleBy = deadline + SETTLE_MS * 1_000_000;
        while (true) {
            long now = System.nanoTime();
            boolean sending = now < deadline;
            if (!sending && (outstanding.isEmpty() || now >= settleBy)) {
                lost += outstanding.size();
                return new Counts(sent, ok, other, lost);
            }
            while (sending && outstanding.size() < WINDOW) {
                String callId = calls + "-" + sent;
                byte[] wire = message(callId, sent, client.getLocalPort()).getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(wire, wire.length, router));
                outstanding.put(callId, now);
                sent++;
            }
            try {
                client.receive(in);
            } catch (SocketTimeoutException idle) {
                lost += expire(outstanding, now);
                continue;
            }
            String response = new String(buffer, 0, in.getLength(), StandardCharsets.UTF_8);
            int status = status(response);
            if (status >= 200 && outstanding.remove(header(response, "Call-ID", "i")) != null) {
                if (status == 200) {
                    ok++;
                } else {
                    other++;
                    if (other == 1) {
                        LOG.warn("warm-up: a MESSAGE was answered {}", response.lines().findFirst().orElse(""));
                    }
                }
            }
        }
    }

    private static int expire(Map<String, Long> outstanding, long now) {
        int before = outstanding.size();
        outstanding.values().removeIf(sentAt -> now - sentAt > LOST_AFTER_MS * 1_000_000);
        return before - outstanding.size();
    }

    /** The pager-mode MESSAGE of the router's benchmark (bench/compare.sh), from the throwaway sender. */
    private String message(String callId, int n, int clientPort) {
        String body = "From: <" + sender + ">\r\nTo: <" + recipient + ">\r\nDateTime: 2024-01-01T00:00:00.000Z\r\n"
                + "NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: " + callId + "\r\n\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 7\r\n\r\nwarm-up";
        return "MESSAGE " + recipient + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + clientPort + ";branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <" + sender + ">;tag=" + n + "\r\n"
                + "To: <" + recipient + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Accept-Contact: *;+g.oma.sip-im\r\n"
                + "P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg\r\n"
                + "Content-Type: message/cpim\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** The recipient's client: answers every MESSAGE 200 until interrupted. */
    private static Thread answer(DatagramSocket uas) throws IOException {
        uas.setSoTimeout(50);
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            while (!Thread.currentThread().isInterrupted() && !uas.isClosed()) {
                try {
                    uas.receive(in);
                    String request = new String(buffer, 0, in.getLength(), StandardCharsets.UTF_8);
                    if (request.startsWith("MESSAGE ")) {
                        byte[] wire = ok(request).getBytes(StandardCharsets.UTF_8);
                        uas.send(new DatagramPacket(wire, wire.length, in.getSocketAddress()));
                    }
                } catch (SocketTimeoutException idle) {
                    // look at the interrupt flag again
                } catch (IOException closed) {
                    return;
                }
            }
        }, "cpm-warm-up-client");
        thread.setDaemon(true);
        thread.start();
        return thread;
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
