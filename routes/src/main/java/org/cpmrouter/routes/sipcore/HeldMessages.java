package org.cpmrouter.routes.sipcore;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.cpmrouter.groupstore.Binding;
import org.cpmrouter.groupstore.DeferredMessageStore;
import org.cpmrouter.groupstore.HeldMessage;
import org.cpmrouter.groupstore.RegistrationStore;
import org.cpmrouter.routes.logging.EventAudit;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.HeaderLines;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.routes.reports.ImdnStatus;
import org.cpmrouter.routes.reports.ReportedMessage;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deferred delivery: messages for a recipient who could not take them are held in the
 * {@link DeferredMessageStore} before the sender is answered {@code 202}, and sent on, in arrival order, to every
 * device that is owed them: when the recipient registers (after its {@code 200}), and on a timer with backoff
 * while it stays registered but does not take them (408, 480, 5xx). A held message is removed only once the devices
 * it was owed have answered 2xx (or refused it for good); a crash between a device's 2xx and that removal sends it
 * to that device again, the same request byte for byte with the same {@code imdn.Message-ID}. Expired messages are
 * removed by the timer, each with a log line. The sender is told, when it asked (RFC 5438): {@code stored} when its
 * message is held, {@code failed} when it expires ({@link DeliveryReports}).
 *
 * <p>One run per recipient at a time: in this process (a registration during a run asks for another run after it),
 * and in the cluster, where the replicated store would otherwise let two nodes' timers, or a registration on one and
 * the timer of another, send the same held message twice. A run first claims the recipient
 * ({@link DeferredMessageStore#claimDelivery}, a lease renewed before each send); a node that finds another live node
 * holding the claim leaves the run to it, and after a registration tries again a little later. The claim of a node
 * that died is taken over at once.
 */
public final class HeldMessages extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("org.cpmrouter.deferred");

    /** Headers a held message does not keep: each delivery from the store is a new request with its own. */
    private static final List<String> NOT_KEPT = List.of("Via", "Call-ID", "CSeq", "Max-Forwards", "Route",
            "Record-Route", "Content-Length", "Contact", CpmHeaders.P_SERVED_USER, ServedUserMarker.SERVED_LEG,
            "Authorization", "Proxy-Authorization");

    /** How long one delivery from the store waits for a device's final response (beyond Timer F: a safety net). */
    private static final long DEVICE_ANSWER_WAIT_SECONDS = 40;

    /** A run's claim on a recipient lasts this long from its last renewal (before each send): two sends' waits. */
    private static final long CLAIM_LEASE_MILLIS = 2 * DEVICE_ANSWER_WAIT_SECONDS * 1000;

    /** After a registration, while another node delivers the recipient's messages: how often to try again. */
    private static final long CLAIMED_RETRY_MILLIS = 2000;

    /** ... and how many times (a minute), so that the new device is not left to the next sweep. */
    private static final int CLAIMED_RETRIES = 30;

    private final CamelContext context;
    private final String deviceEndpointUri;
    private final DeferredMessageStore store;
    private final RegistrationStore registrations;
    private final DeferredSettings settings;
    private final LongSupplier clock;
    private final DeliveryReports reports;
    private final RouterMetrics metrics;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<String> again = ConcurrentHashMap.newKeySet();
    private AsyncProducer devices;
    private ScheduledExecutorService executor;

    public HeldMessages(CamelContext context, String deviceEndpointUri, DeferredMessageStore store,
                        RegistrationStore registrations, DeferredSettings settings, LongSupplier clock,
                        DeliveryReports reports, RouterMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
        this.deviceEndpointUri = deviceEndpointUri;
        this.store = store;
        this.registrations = registrations;
        this.settings = settings;
        this.clock = clock;
        this.reports = reports;
    }

    @Override
    protected void doStart() throws Exception {
        devices = context.getEndpoint(deviceEndpointUri).createAsyncProducer();
        ServiceHelper.startService(devices);
        executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "cpm-deferred");
            t.setDaemon(true);
            return t;
        });
        long every = settings.retryInterval().toMillis();
        executor.scheduleWithFixedDelay(this::sweepSafely, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (executor != null) {
            executor.shutdownNow();
        }
        ServiceHelper.stopService(devices);
    }

    /**
     * Holds a message no device of the recipient took, for whichever device registers.
     *
     * @throws SipResponseException 480 when the recipient has the most messages held it may, 503 when the store is
     *                              full: the sender learns it was not kept
     */
    HeldMessage holdForAnyDevice(Message request, String recipient) {
        return hold(request, recipient, null);
    }

    /** Holds a message that some devices took, for those that could not take it now; a refusal is only logged. */
    void holdForDevices(Message request, String recipient, Set<String> owed) {
        try {
            hold(request, recipient, owed);
        } catch (SipResponseException e) {
            LOG.warn("deferred callId={} recipient={} could not be held for devices {}: {}",
                    LogText.of(request.getHeader("Call-ID")), LogText.of(recipient), LogText.of(owed), e.reason());
        }
    }

    private HeldMessage hold(Message request, String recipient, Set<String> owed) {
        long now = clock.getAsLong();
        long expires = now + settings.expiry().toMillis();
        String callId = request.getHeader("Call-ID", "", String.class);
        byte[] body = request.getBody(byte[].class);
        List<String> lines = HeaderLines.of(request, NOT_KEPT);
        String messageId = messageIdOf(request, body);
        String sender = request.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, "", String.class);
        HeldMessage message = owed == null
                ? HeldMessage.forAnyDevice(recipient, now, expires, callId, messageId, sender, lines, body)
                : HeldMessage.forDevices(recipient, now, expires, callId, messageId, sender, lines, body, owed);
        try {
            HeldMessage stored = store.hold(message, settings.limits());
            metrics.deferredHeld();
            LOG.info("deferred callId={} messageId={} recipient={} held as #{} for {} until {}", LogText.of(callId),
                    messageId, LogText.of(recipient), stored.sequence(), owed == null ? "any device" : LogText.of(owed),
                    java.time.Instant.ofEpochMilli(expires));
            audit(stored, "held", owed == null ? "any device" : "devices " + owed);
            if (owed == null) { // the sender learns it is stored, when it asked for processing notifications
                ReportedMessage.of(request, recipient).ifPresent(m -> reports.report(m, ImdnStatus.STORED,
                        "held for " + recipient + " until a client of it registers"));
            }
            return stored;
        } catch (DeferredMessageStore.HoldRefused refused) {
            if (refused.limit() == DeferredMessageStore.HoldRefused.Limit.PER_RECIPIENT) {
                LOG.info("deferred callId={} messageId={} recipient={} not held: {} (cpm.deferred.max-per-recipient "
                        + "{}): 480", LogText.of(callId), messageId, LogText.of(recipient), refused.getMessage(),
                        settings.maxPerRecipient());
                audit(message, "not-held", "480 cpm.deferred.max-per-recipient " + settings.maxPerRecipient());
                throw new SipResponseException(480, "Temporarily Unavailable: too many messages held for the "
                        + "recipient");
            }
            LOG.warn("deferred callId={} messageId={} recipient={} not held: {} (cpm.deferred.max-total-bytes {}): 503",
                    LogText.of(callId), messageId, LogText.of(recipient), refused.getMessage(),
                    settings.maxTotalBytes());
            audit(message, "not-held", "503 cpm.deferred.max-total-bytes " + settings.maxTotalBytes());
            throw new SipResponseException(503, "Service Unavailable: deferred message store full",
                    List.of("Retry-After: 300"));
        }
    }

    /** The recipient registered a contact: its held messages go out after the REGISTER's 200. */
    void recipientRegistered(String recipient) {
        if (executor == null || store.summary(recipient).count() == 0) {
            return;
        }
        executor.schedule(() -> deliver(recipient, true, CLAIMED_RETRIES), 100, TimeUnit.MILLISECONDS);
    }

    /** Gives up expired messages, then retries what is due for registered recipients. */
    void sweep() {
        long now = clock.getAsLong();
        for (HeldMessage expired : store.removeExpired(now)) {
            metrics.deferredExpired();
            LOG.info("deferred callId={} messageId={} recipient={} expired after {} h undelivered (#{}, {} attempts)",
                    LogText.of(expired.callId()), expired.messageId(), LogText.of(expired.recipient()),
                    Duration.ofMillis(now - expired.storedAtMillis()).toHours(), expired.sequence(),
                    expired.attempts());
            audit(expired, "expired", expired.attempts() + " attempts");
            reportable(expired).ifPresent(m -> reports.report(m, ImdnStatus.FAILED,
                    "held for " + expired.recipient() + " and not delivered before it expired"));
        }
        for (String recipient : store.recipients()) {
            if (!registrations.activeBindings(recipient).isEmpty()) {
                deliver(recipient, false, 0);
            }
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("deferred sweep failed: {}", e.toString(), e);
        }
    }

    /**
     * Sends the recipient's held messages, in order, to the devices owed them. A device that does not take one
     * gets no later one in this run (it would get them out of order).
     *
     * @param ignoreBackoff true when the recipient just registered: try everything now
     * @param retries       how many more times to try, {@value #CLAIMED_RETRY_MILLIS} ms apart, while another node
     *                      holds the recipient's claim
     */
    void deliver(String recipient, boolean ignoreBackoff, int retries) {
        if (!running.add(recipient)) {
            again.add(recipient);
            return;
        }
        boolean claimed = false;
        try {
            claimed = store.claimDelivery(recipient, CLAIM_LEASE_MILLIS);
            if (!claimed) {
                LOG.info("deferred recipient={} held messages being delivered by another node; {}",
                        LogText.of(recipient), retries > 0 ? "trying again in " + CLAIMED_RETRY_MILLIS + " ms"
                                : "left to it");
                if (retries > 0 && executor != null) {
                    executor.schedule(() -> deliver(recipient, ignoreBackoff, retries - 1), CLAIMED_RETRY_MILLIS,
                            TimeUnit.MILLISECONDS);
                }
                return;
            }
            do {
                again.remove(recipient);
                deliverOnce(recipient, ignoreBackoff);
            } while (again.contains(recipient));
        } catch (RuntimeException e) {
            LOG.warn("deferred recipient={} delivery run failed: {}", LogText.of(recipient), LogText.of(e.toString()),
                    e);
        } finally {
            if (claimed) {
                releaseQuietly(recipient);
            }
            running.remove(recipient);
        }
    }

    private void releaseQuietly(String recipient) {
        try {
            store.releaseDelivery(recipient);
        } catch (RuntimeException e) {
            // the lease ends it
            LOG.warn("deferred recipient={} claim not released (its lease ends it): {}", LogText.of(recipient),
                    LogText.of(e.toString()));
        }
    }

    private void deliverOnce(String recipient, boolean ignoreBackoff) {
        Set<String> blocked = new HashSet<>();
        for (HeldMessage held : store.heldFor(recipient)) {
            long now = clock.getAsLong();
            if (held.isExpiredAt(now) || (!ignoreBackoff && held.nextAttemptAtMillis() > now)) {
                continue;
            }
            List<Binding> owed = registrations.activeBindings(recipient).stream()
                    .filter(b -> held.isOwedTo(b.device()) && !blocked.contains(b.device())).toList();
            if (owed.isEmpty()) {
                continue;
            }
            if (!store.claimDelivery(recipient, CLAIM_LEASE_MILLIS)) { // renewed; lost only if the lease ran out
                LOG.warn("deferred recipient={} claim taken by another node during a run: stopped before #{}",
                        LogText.of(recipient), held.sequence());
                return;
            }
            Set<String> took = new HashSet<>();
            Set<String> later = new HashSet<>();
            Set<String> refused = new HashSet<>();
            for (Binding device : owed) {
                SipOutcome outcome = send(held, device);
                if (outcome.isSuccess()) {
                    took.add(device.device());
                } else if (isTemporary(outcome.status())) {
                    later.add(device.device());
                    blocked.add(device.device());
                } else {
                    refused.add(device.device());
                }
                LOG.info("deferred callId={} messageId={} recipient={} #{} to device {}: {} {}",
                        LogText.of(held.callId()), held.messageId(), LogText.of(recipient), held.sequence(),
                        LogText.of(device.device()), outcome.status(), LogText.of(outcome.reason()));
            }
            settle(held, took, later, refused);
        }
    }

    /** What is left of a held message after one round of devices: removed, or kept for the devices still owed. */
    private void settle(HeldMessage held, Set<String> took, Set<String> later, Set<String> refused) {
        boolean anyDevice = held.anyDevice() && took.isEmpty();
        Set<String> owed = new HashSet<>(held.anyDevice() ? later : held.owedDevices());
        owed.removeAll(took);
        owed.removeAll(refused);
        if (anyDevice && later.isEmpty()) {
            store.remove(held.recipient(), held.sequence());
            metrics.deferredGivenUp();
            LOG.info("deferred callId={} messageId={} recipient={} #{} refused by every device: given up",
                    LogText.of(held.callId()), held.messageId(), LogText.of(held.recipient()), held.sequence());
            audit(held, "given-up", "refused by devices " + refused);
            return;
        }
        if (!anyDevice && owed.isEmpty()) {
            store.remove(held.recipient(), held.sequence());
            metrics.deferredDelivered();
            LOG.info("deferred callId={} messageId={} recipient={} #{} delivered from the store: removed",
                    LogText.of(held.callId()), held.messageId(), LogText.of(held.recipient()), held.sequence());
            audit(held, "delivered", "devices " + took);
            return;
        }
        int attempts = later.isEmpty() ? held.attempts() : held.attempts() + 1;
        long next = later.isEmpty() ? 0 : clock.getAsLong() + settings.retryDelay(attempts).toMillis();
        store.update(held.owing(anyDevice, owed, attempts, next));
    }

    /** One delivery of a held message to one device, waited for. */
    private SipOutcome send(HeldMessage held, Binding device) {
        Exchange exchange = requestOf(held);
        Message m = exchange.getMessage();
        m.setHeader(SipMessageConstants.METHOD, "MESSAGE");
        String host = held.callId().contains("@") ? held.callId().substring(held.callId().indexOf('@') + 1) : "cpm";
        m.setHeader("Call-ID", UUID.randomUUID() + "@" + host);
        m.setHeader("CSeq", "1 MESSAGE");
        DeviceRoute.target(m, device);
        CompletableFuture<SipOutcome> answered = new CompletableFuture<>();
        try {
            devices.process(exchange, doneSync -> answered.complete(SipOutcome.of(exchange)));
            return answered.get(DEVICE_ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SipOutcome(503, "Interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new SipOutcome(408, "No answer from the device");
        }
    }

    /** The held message as the report sender reads a request, for a report about it. */
    private java.util.Optional<ReportedMessage> reportable(HeldMessage held) {
        Message m = requestOf(held).getMessage();
        m.setHeader("Call-ID", held.callId());
        return ReportedMessage.of(m, held.recipient());
    }

    /** A held message as an exchange again: its kept headers and its body, byte for byte. */
    private Exchange requestOf(HeldMessage held) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeaders(new java.util.HashMap<>(HeaderLines.headers(held.headerLines())));
        exchange.getMessage().setBody(held.body());
        return exchange;
    }

    /** One audit line for what became of a held message: identifiers, addresses and devices, never the body. */
    private static void audit(HeldMessage held, String outcome, String detail) {
        EventAudit.write("deferred", "callId", held.callId(), "messageId", held.messageId(),
                "sender", held.sender(), "recipient", held.recipient(), "sequence", Long.toString(held.sequence()),
                "outcome", outcome, "detail", detail);
    }

    /** A device that did not take the message now may later: no answer, unavailable, or a server error. */
    static boolean isTemporary(int status) {
        return status == 408 || status == 480 || status >= 500 && status < 600;
    }

    /** The message's {@code imdn.Message-ID} when its body is CPIM, for the log; empty otherwise. */
    private static String messageIdOf(Message request, byte[] body) {
        String type = request.getHeader("Content-Type", "", String.class);
        if (body == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("message/cpim")) {
            return "";
        }
        try {
            return CpimMessage.parse(body).imdnMessageId().orElse("");
        } catch (RuntimeException e) {
            return "";
        }
    }
}
