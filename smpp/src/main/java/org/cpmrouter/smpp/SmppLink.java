package org.cpmrouter.smpp;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's SMPP 3.4 link to an SMSC: one bind_transceiver session, kept up in the background.
 *
 * <p>{@link #start} returns at once and binds on a thread of its own; when the bind fails or the session drops,
 * the link binds again after {@code reconnectDelayMs}, for as long as it is open. jSMPP sends enquire_link after
 * {@code enquireLinkIntervalMs} without traffic and drops the session when one goes unanswered.
 *
 * <p>Submissions never wait for the link: while it is not bound they fail at once with
 * {@link SmppSubmitException.Kind#UNAVAILABLE} and nothing is queued, so the CPM side can answer its sender
 * straight away. Mobile-originated SMS go to the {@link InboundSmsHandler}, whose answer becomes the
 * deliver_sm_resp status.
 */
public final class SmppLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmppLink.class);

    /** Submissions in progress at once; each sends its parts one after the other. */
    static final int SUBMIT_WORKERS = 4;
    /** Submissions waiting for a worker; beyond this, submit fails with UNAVAILABLE (link overloaded). */
    static final int SUBMIT_BACKLOG = 1000;
    /** Inbound SMS handled at once; an SMS that finds them all busy is answered ESME_RX_T_APPN (retry later). */
    static final int INBOUND_WORKERS = 4;
    /**
     * jSMPP processes received PDUs (responses as well as deliver_sm) on a small pool, whose threads wait while a
     * handler runs. It gets three threads more than there are handlers, so that submit_sm_resp and
     * enquire_link_resp are never stuck behind handlers that block.
     */
    private static final int JSMPP_PDU_THREADS = INBOUND_WORKERS + 3;

    private final SmppLinkConfig config;
    private final String peer;
    private final ScheduledExecutorService binder;
    private final ThreadPoolExecutor submitters;
    private final ThreadPoolExecutor inboundWorkers;
    private final InboundDispatcher inbound;
    private final AtomicInteger concatReference = new AtomicInteger((int) (System.nanoTime() & 0xFF));
    private final Object monitor = new Object();
    /** The bound session, or null; guarded by {@link #monitor}. */
    private SMPPSession session;
    private boolean closed;
    private int failedBinds;

    private SmppLink(SmppLinkConfig config, InboundSmsHandler handler) {
        this.config = config;
        this.peer = config.systemId() + "@" + config.host() + ":" + config.port();
        this.binder = Executors.newSingleThreadScheduledExecutor(daemon("smpp-link-bind"));
        this.submitters = new ThreadPoolExecutor(SUBMIT_WORKERS, SUBMIT_WORKERS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(SUBMIT_BACKLOG), daemon("smpp-submit"));
        this.inboundWorkers = new ThreadPoolExecutor(INBOUND_WORKERS, INBOUND_WORKERS, 0, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), daemon("smpp-inbound"));
        this.inbound = new InboundDispatcher(handler, inboundWorkers, INBOUND_WORKERS);
    }

    /**
     * Starts connecting (bind_transceiver) in the background and keeps the link up: reconnects after
     * reconnectDelayMs when the bind fails or the session drops; enquire_link every enquireLinkIntervalMs.
     */
    public static SmppLink start(SmppLinkConfig config, InboundSmsHandler inbound) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(inbound, "inbound");
        SmppLink link = new SmppLink(config, inbound);
        LOG.info("SMPP link to {} starting (enquire_link after {} ms idle, rebind after {} ms, response timeout {} ms)",
                link.peer, config.enquireLinkIntervalMs(), config.reconnectDelayMs(), config.responseTimeoutMs());
        link.binder.execute(link::bind);
        return link;
    }

    public boolean isBound() {
        SMPPSession current = currentSession();
        return current != null && current.getSessionState().isBound();
    }

    /** Waits up to timeoutMs for the bind; true when bound. For startup and tests. */
    public boolean awaitBound(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (monitor) {
            while (!isBound()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || closed) {
                    return false;
                }
                monitor.wait(left);
            }
            return true;
        }
    }

    /** Waits up to timeoutMs for the link to be down (session lost or closed); true when it is not bound. */
    public boolean awaitUnbound(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (monitor) {
            while (isBound()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                monitor.wait(left);
            }
            return true;
        }
    }

    /**
     * Submits one text as one submit_sm, or several with a concatenation UDH (8-bit reference) when it does not fit
     * one SMS. Completes with the SMSC's message ids once the SMSC accepted every part; completes exceptionally with
     * {@link SmppSubmitException} when the link is not bound (UNAVAILABLE, immediately, no queueing), the SMSC
     * refuses a part (REFUSED, with the SMPP command_status), or no response within responseTimeoutMs (TIMEOUT).
     * A text too long for 255 parts completes exceptionally with {@link IllegalArgumentException}. Never blocks the
     * caller's thread for the network round trip.
     */
    public CompletableFuture<SubmitResult> submit(OutboundSms sms) {
        Objects.requireNonNull(sms, "sms");
        SmsText.Split split;
        try {
            split = SmsText.split(sms.text());
        } catch (IllegalArgumentException e) {
            LOG.warn("submit_sm {} -> {} not sent: {}", sms.sourceNumber(), sms.destinationNumber(), e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        SMPPSession current = currentSession();
        if (current == null || !current.getSessionState().isBound()) {
            return unavailable(sms, "SMPP link to " + peer + " is not bound; nothing was sent");
        }
        CompletableFuture<SubmitResult> result = new CompletableFuture<>();
        int reference = concatReference.getAndIncrement() & 0xFF;
        long queuedAt = System.nanoTime();
        try {
            submitters.execute(() -> {
                if (waitedTooLong(queuedAt)) {
                    result.completeExceptionally(overloaded(sms, queuedAt));
                    return;
                }
                try {
                    result.complete(new SubmitSequence(current, sms, split, reference, config.responseTimeoutMs())
                            .run());
                } catch (SmppSubmitException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            return unavailable(sms, "SMPP link to " + peer + " is overloaded (" + SUBMIT_BACKLOG
                    + " submissions waiting) or closed; nothing was sent");
        }
        return result;
    }

    /**
     * A submission that waited longer than a response timeout for a worker is not sent: when the SMSC is slow
     * the backlog would otherwise hold callers for many timeouts in a row.
     */
    private boolean waitedTooLong(long queuedAt) {
        return System.nanoTime() - queuedAt > TimeUnit.MILLISECONDS.toNanos(config.responseTimeoutMs());
    }

    private SmppSubmitException overloaded(OutboundSms sms, long queuedAt) {
        String reason = "SMPP link to " + peer + " is overloaded: waited "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queuedAt)
                + " ms for a free submit worker; nothing was sent";
        LOG.warn("submit_sm {} -> {} failed UNAVAILABLE: {}", sms.sourceNumber(), sms.destinationNumber(), reason);
        return SmppSubmitException.unavailable(reason, null);
    }

    private static CompletableFuture<SubmitResult> unavailable(OutboundSms sms, String reason) {
        LOG.warn("submit_sm {} -> {} failed UNAVAILABLE: {}", sms.sourceNumber(), sms.destinationNumber(), reason);
        return CompletableFuture.failedFuture(SmppSubmitException.unavailable(reason, null));
    }

    /** Unbinds, stops binding again and stops the workers; submissions in progress fail or time out. */
    @Override
    public void close() {
        SMPPSession last;
        synchronized (monitor) {
            if (closed) {
                return;
            }
            closed = true;
            last = session;
            session = null;
            monitor.notifyAll();
        }
        binder.shutdownNow();
        if (last != null) {
            last.unbindAndClose();
        }
        submitters.shutdown();
        inboundWorkers.shutdown();
        LOG.info("SMPP link to {} closed", peer);
    }

    private SMPPSession currentSession() {
        synchronized (monitor) {
            return session;
        }
    }

    /** One bind attempt, on the binder thread; schedules the next one when it fails. */
    private void bind() {
        synchronized (monitor) {
            if (closed) {
                return;
            }
        }
        SMPPSession candidate = newSession();
        try {
            String smscSystemId = candidate.connectAndBind(config.host(), config.port(), bindParameter(),
                    config.responseTimeoutMs());
            becomeBound(candidate, smscSystemId);
        } catch (IOException e) {
            candidate.close();
            bindFailed(e);
        }
    }

    private SMPPSession newSession() {
        SMPPSession candidate = new SMPPSession();
        candidate.setEnquireLinkTimer((int) config.enquireLinkIntervalMs());
        candidate.setTransactionTimer(config.responseTimeoutMs());
        candidate.setPduProcessorDegree(JSMPP_PDU_THREADS);
        candidate.setMessageReceiverListener(inbound);
        candidate.addSessionStateListener((newState, oldState, source) -> {
            if (newState == SessionState.CLOSED) {
                sessionClosed(candidate);
            }
        });
        return candidate;
    }

    private BindParameter bindParameter() {
        return new BindParameter(BindType.BIND_TRX, config.systemId(), config.password(), config.systemType(),
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null);
    }

    private void becomeBound(SMPPSession bound, String smscSystemId) {
        int failuresBefore;
        boolean linkClosed;
        synchronized (monitor) {
            failuresBefore = failedBinds;
            linkClosed = closed;
            if (!linkClosed) {
                session = bound;
                failedBinds = 0;
                monitor.notifyAll();
            }
        }
        if (linkClosed) {
            // closed while binding: unbind outside the monitor, it waits for the SMSC's answer
            bound.unbindAndClose();
            return;
        }
        LOG.info("SMPP link to {} bound (bind_transceiver, SMSC system_id {}, session {}{})", peer, smscSystemId,
                bound.getSessionId(), failuresBefore > 0 ? ", after " + failuresBefore + " failed attempt(s)" : "");
        // the session may have dropped before it became the current one, when its listener could not see it
        if (!bound.getSessionState().isBound()) {
            sessionClosed(bound);
        }
    }

    private void bindFailed(IOException e) {
        int failures;
        synchronized (monitor) {
            if (closed) {
                return;
            }
            failures = ++failedBinds;
            scheduleBind();
        }
        // the first failure of a run says why at WARN; the retries that follow only at DEBUG
        if (failures == 1) {
            LOG.warn("SMPP bind to {} failed: {}; retrying every {} ms", peer, reason(e), config.reconnectDelayMs());
        } else {
            LOG.debug("SMPP bind to {} failed again (attempt {}): {}", peer, failures, reason(e));
        }
    }

    private void sessionClosed(SMPPSession closedSession) {
        synchronized (monitor) {
            if (closed || session != closedSession) {
                return;
            }
            session = null;
            monitor.notifyAll();
            scheduleBind();
        }
        LOG.warn("SMPP link to {} lost (session {}); binding again in {} ms", peer, closedSession.getSessionId(),
                config.reconnectDelayMs());
    }

    private void scheduleBind() {
        try {
            binder.schedule(this::bind, config.reconnectDelayMs(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: no more binds
        }
    }

    /** The SMSC's refusal by name when there is one, else what went wrong on the network. */
    private static String reason(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof NegativeResponseException refused) {
                return "SMSC refused the bind: " + SmppStatus.describe(refused.getCommandStatus());
            }
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
