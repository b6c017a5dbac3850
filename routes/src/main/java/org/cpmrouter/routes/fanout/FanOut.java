package org.cpmrouter.routes.fanout;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.cpmrouter.groupstore.PendingFanOut;
import org.cpmrouter.groupstore.PendingFanOutStore;
import org.cpmrouter.routes.path.HeaderLines;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.routes.reports.ImdnStatus;
import org.cpmrouter.routes.reports.ReportedMessage;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted message, many copies: the copy sender the Controlling Function (a Pre-defined Group's members) and
 * the URI-list service (a list's recipients) share. Each copy is sent into the SIP/IP Core as a request whose
 * originating leg is done, so it takes the recipient's terminating Participating Function, the Controlling
 * Function or the Interworking Function like any message; what a copy looks like is the role's ({@link Copies}).
 *
 * <p>Asynchronous and bounded: at most {@code maxInFlight} copies of one message are outstanding; each final
 * response starts the next one, on whatever thread delivered it, so a large fan-out parks no thread per recipient.
 * A recipient whose copy is refused or times out is logged against that recipient, and its sender, when it asked
 * for negative-delivery, gets a {@code failed} IMDN naming the recipient ({@link DeliveryReports}); the others still
 * get theirs.
 *
 * <p>Nothing accepted is lost: {@link #start} records the message in the {@link PendingFanOutStore} before the role
 * answers 202, the record is narrowed to the recipients not yet answered every {@value #CHECKPOINT_EVERY} answers
 * and removed after the last; {@link #resumePending}, run once the routes have started, sends what a previous
 * process left unsent. A recipient answered after the last checkpoint and before a crash gets a second copy with
 * the same IMDN Message-ID, by which its client recognises it. The journal is used through
 * {@link PendingFanOutStore#save}, {@link PendingFanOutStore#remove} and {@link PendingFanOutStore#all} only.
 */
public final class FanOut extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);

    /** Answers between two checkpoints of a record (each is one synced write). */
    static final int CHECKPOINT_EVERY = 32;

    /** What one role makes of an accepted message: its copies, and the words its log lines and reports use. */
    public interface Copies {

        /** Log word for what the copies are sent for, e.g. {@code group} or {@code list}. */
        String kind();

        /**
         * Fills in the request for one recipient: the recorded headers and body are on it, and the Request-URI, To,
         * a new Call-ID and CSeq are the recipient's; the role sets the rest (From, identity, the leg marker, and
         * the body and Content-Type when they differ by recipient).
         */
        void address(Message copy, String recipient);

        /** Log word for the recipients of the final line: {@code members} of a group, {@code recipients} of a list. */
        default String recipientsWord() {
            return "recipients";
        }

        /** The reason a failed IMDN gives for a recipient's refusal (for the log of the report). */
        String failure(String recipient, SipOutcome outcome);
    }

    private final CamelContext context;
    private final String coreEndpointUri;
    private final Executor starter;
    private final int maxInFlight;
    private final PendingFanOutStore journal;
    private final DeliveryReports reports;
    private AsyncProducer core;

    /**
     * @param coreEndpointUri where copies enter the SIP/IP Core ({@code cpm.hop.core}, resolved)
     * @param starter         the threads that start a message's first copies, so the role's answer is not held up
     * @param maxInFlight     {@code cpm.controlling.fanout-in-flight}: copies of one message outstanding at most
     */
    public FanOut(CamelContext context, String coreEndpointUri, Executor starter, int maxInFlight,
                  PendingFanOutStore journal, DeliveryReports reports) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("cpm.controlling.fanout-in-flight must be at least 1");
        }
        this.context = context;
        this.coreEndpointUri = coreEndpointUri;
        this.starter = starter;
        this.maxInFlight = maxInFlight;
        this.journal = journal;
        this.reports = reports;
    }

    @Override
    protected void doStart() throws Exception {
        core = context.getEndpoint(coreEndpointUri).createAsyncProducer();
        ServiceHelper.startService(core);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(core);
    }

    /** The request's headers a copy carries: all but {@code notCopied} (the original hop's own), as lines. */
    public static List<String> headerLines(Message request, List<String> notCopied) {
        return HeaderLines.of(request, notCopied);
    }

    /**
     * Records the accepted message (synced to disk with the Infinispan store), then starts sending its copies and
     * returns: the role's 202 goes out after the record is safe.
     */
    public void start(PendingFanOut accepted, Copies copies) {
        if (!accepted.recipients().isEmpty()) {
            journal.save(accepted);
        }
        Run run = new Run(accepted, copies);
        starter.execute(run::pump);
    }

    /**
     * Sends what an earlier process accepted and did not finish (after a crash); once, after the routes started.
     *
     * @param claim the role's copies of a record it owns, empty for another role's record (left to that role)
     * @return how many records this role resumed
     */
    public int resumePending(Function<PendingFanOut, Optional<Copies>> claim) {
        int resumed = 0;
        for (PendingFanOut pending : journal.all()) {
            Optional<Copies> copies = claim.apply(pending);
            if (copies.isEmpty()) {
                continue;
            }
            LOG.info("fanout callId={} {}={} sender={} resumed after a restart: {} recipients left",
                    LogText.of(pending.id()), copies.get().kind(), pending.groupUri(), LogText.of(pending.sender()),
                    pending.recipients().size());
            Run run = new Run(pending, copies.get());
            starter.execute(run::pump);
            resumed++;
        }
        return resumed;
    }

    private final class Run {
        private final String callId;
        private final String origin;
        private final String sender;
        private final Copies copies;
        private final Map<String, Object> headers;
        private final byte[] body;
        private final int total;
        private final Iterator<String> pending;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger pumping = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger delivered = new AtomicInteger();
        private final long startedNanos = System.nanoTime();

        private final PendingFanOut record;
        private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
        /** What a report about this message needs, read from it at the first failure (empty: none asked for). */
        private volatile Optional<ReportedMessage> reportable;
        private boolean finished; // guarded by this: no checkpoint may follow the final removal

        Run(PendingFanOut record, Copies copies) {
            this.record = record;
            this.copies = copies;
            this.callId = record.id();
            this.origin = record.groupUri();
            this.sender = record.sender();
            this.headers = HeaderLines.headers(record.headerLines());
            this.body = record.body();
            this.total = record.recipients().size();
            this.pending = record.recipients().iterator();
            this.unanswered.addAll(record.recipients());
            if (total == 0) {
                LOG.info("fanout callId={} {}={} sender={} recipients=0: nobody to send to", LogText.of(callId),
                        copies.kind(), origin, LogText.of(sender));
            }
        }

        private Optional<ReportedMessage> reportable() {
            Optional<ReportedMessage> known = reportable;
            if (known == null) {
                Object contentType = headers.entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                known = ReportedMessage.of(callId, sender, origin,
                        contentType == null ? null : contentType.toString(), body);
                reportable = known;
            }
            return known;
        }

        /** Narrows the record to the recipients not yet answered, or removes it after the last answer. */
        private synchronized void checkpoint(boolean last) {
            if (finished) {
                return;
            }
            if (last) {
                finished = true;
                journal.remove(callId);
            } else {
                journal.save(record.withRecipients(List.copyOf(unanswered)));
            }
        }

        /** Starts copies while fewer than maxInFlight are outstanding; re-entrant calls just ask for another pass. */
        void pump() {
            if (pumping.getAndIncrement() != 0) {
                return;
            }
            do {
                while (inFlight.get() < maxInFlight) {
                    String recipient;
                    synchronized (pending) {
                        if (!pending.hasNext()) {
                            break;
                        }
                        recipient = pending.next();
                    }
                    inFlight.incrementAndGet();
                    send(recipient);
                }
            } while (pumping.decrementAndGet() != 0);
        }

        private void send(String recipient) {
            Exchange copy = new DefaultExchange(context);
            try {
                Message m = copy.getMessage();
                m.setHeaders(new HashMap<>(headers));
                m.setBody(body);
                m.setHeader(SipMessageConstants.METHOD, "MESSAGE");
                m.setHeader(SipMessageConstants.REQUEST_URI, recipient);
                m.setHeader("To", "<" + recipient + ">");
                m.setHeader("Call-ID", UUID.randomUUID() + "@" + callId.substring(callId.indexOf('@') + 1));
                m.setHeader("CSeq", "1 MESSAGE");
                copies.address(m, recipient);
                core.process(copy, doneSync -> finished(recipient, copy));
            } catch (RuntimeException e) {
                copy.setException(e);
                finished(recipient, copy);
            }
        }

        private void finished(String recipient, Exchange copy) {
            SipOutcome outcome = SipOutcome.of(copy);
            if (outcome.isSuccess()) {
                delivered.incrementAndGet();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("fanout callId={} {}={} recipient={} status={}", LogText.of(callId), copies.kind(),
                            origin, recipient, outcome.status());
                }
            } else {
                LOG.info("fanout callId={} {}={} recipient={} not delivered: status={} reason=\"{}\"",
                        LogText.of(callId), copies.kind(), origin, recipient, outcome.status(),
                        LogText.of(outcome.reason()));
                // nothing sends this copy again: the sender learns it failed, when it asked to
                reportable().ifPresent(message -> reports.report(message.withRecipient(recipient), ImdnStatus.FAILED,
                        copies.failure(recipient, outcome)));
            }
            inFlight.decrementAndGet();
            unanswered.remove(recipient);
            int answered = done.incrementAndGet();
            if (answered == total) {
                checkpoint(true);
            } else if (answered % CHECKPOINT_EVERY == 0) {
                checkpoint(false);
            }
            if (answered == total) {
                LOG.info("fanout callId={} {}={} sender={} {}={} delivered={} failed={} in {} ms",
                        LogText.of(callId), copies.kind(), origin, LogText.of(sender), copies.recipientsWord(), total,
                        delivered.get(),
                        total - delivered.get(), (System.nanoTime() - startedNanos) / 1_000_000);
            }
            pump();
        }
    }
}
