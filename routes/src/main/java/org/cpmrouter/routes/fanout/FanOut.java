package org.cpmrouter.routes.fanout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.cpmrouter.groupstore.ClusterNode;
import org.cpmrouter.groupstore.PendingFanOut;
import org.cpmrouter.groupstore.PendingFanOutStore;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.HeaderLines;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.routes.reports.ImdnStatus;
import org.cpmrouter.routes.reports.ReportedMessage;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted message, many copies: the copy sender the Controlling Function (a Pre-defined Group's members) and
 * the URI-list service (a list's recipients) share. Each copy is sent into the SIP/IP Core as a request whose
 * originating leg is done, so it takes the recipient's terminating Participating Function, the Controlling
 * Function or the Interworking Function like any message; what a copy looks like is the role's ({@link Copies}).
 *
 * <p>Asynchronous and bounded: at most {@code maxInFlight} copies of one message are outstanding; each final
 * response starts the next one, so a large fan-out parks no thread per recipient. A recipient whose copy is refused
 * or times out is logged against that recipient, and its sender, when it asked for negative-delivery, gets a
 * {@code failed} IMDN naming the recipient ({@link DeliveryReports}); the others still get theirs. Each answer is
 * counted ({@link CopyCounter}: the role's meter).
 *
 * <p>Nothing accepted is lost, and hardly anything answered is sent again: {@link #start} records the message
 * in the {@link PendingFanOutStore} before the role answers 202, the recipients that answered are recorded every
 * {@code cpm.controlling.fanout-journal-interval-ms} ({@link PendingFanOutStore#answered}, one write for all the
 * messages under way, on a journal writer thread; a copy's slot starts the next copy at once, without waiting for
 * it), and the record is removed after the last answer. A fan-out that ends within the interval (a group of 100
 * takes tens of milliseconds on a LAN) writes only its record and the record's removal. The record names this node
 * as its owner. {@link #watchForOrphans}, run once the routes have started, takes over the role's records whose
 * owner is gone (a node that died, or this node's previous run), at once and again whenever the cluster view loses
 * a member, one node per record ({@link PendingFanOutStore#orphaned}, {@link PendingFanOutStore#takeOver}), and
 * sends only the recipients not recorded as answered. The crash window: a copy in flight when its node dies (at most
 * {@code cpm.controlling.fanout-in-flight} per message), or answered since the journal's last write (at most the
 * interval before), is sent again, with the same IMDN Message-ID, by which the recipient's client recognises it.
 */
public final class FanOut extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);

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

    /** Counts each copy's answer: 2xx (delivered, or held for the recipient), or not. */
    @FunctionalInterface
    public interface CopyCounter {
        void answered(boolean accepted);
    }

    private final CamelContext context;
    private final String coreEndpointUri;
    private final Executor starter;
    private final ScheduledExecutorService journalWriter;
    private final long journalIntervalMs;
    private final int maxInFlight;
    private final PendingFanOutStore journal;
    private final DeliveryReports reports;
    private final CopyCounter counter;
    private final AnswerJournal answers = new AnswerJournal();
    private AsyncProducer core;
    private ScheduledFuture<?> journalPasses;

    /**
     * @param coreEndpointUri where copies enter the SIP/IP Core ({@code cpm.hop.core}, resolved)
     * @param starter         threads that start a message's first copies, so the role's answer is not held up, and
     *                        take over orphans
     * @param journalWriter   threads that record answers and remove finished records: a journal write waits for its
     *                        fsync and for every node (and, while a dead node is being suspected, for the new view),
     *                        which must not hold up the SIP stack's threads that deliver the answers
     * @param journalIntervalMs {@code cpm.controlling.fanout-journal-interval-ms}: how often the answers are written
     * @param maxInFlight     {@code cpm.controlling.fanout-in-flight}: copies of one message outstanding at most
     * @param counter         the role's meter of answered copies
     */
    public FanOut(CamelContext context, String coreEndpointUri, Executor starter,
                  ScheduledExecutorService journalWriter, long journalIntervalMs, int maxInFlight,
                  PendingFanOutStore journal, DeliveryReports reports, CopyCounter counter) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("cpm.controlling.fanout-in-flight must be at least 1");
        }
        if (journalIntervalMs < 1) {
            throw new IllegalArgumentException("cpm.controlling.fanout-journal-interval-ms must be at least 1");
        }
        this.context = context;
        this.coreEndpointUri = coreEndpointUri;
        this.starter = starter;
        this.journalWriter = journalWriter;
        this.journalIntervalMs = journalIntervalMs;
        this.maxInFlight = maxInFlight;
        this.journal = journal;
        this.reports = reports;
        this.counter = counter;
    }

    /**
     * A role's fan-out, built in its route's {@code configure}: threads of its own ({@code NAME-start}, two, and
     * {@code NAME-journal}, four), copies into {@code cpm.hop.core}, {@code cpm.controlling.fanout-in-flight} of a
     * message at most, answers written every {@code cpm.controlling.fanout-journal-interval-ms}, started and stopped
     * with the context; once the context has fully started (the core's routes take requests) it takes over the role's
     * orphans and watches for more ({@link #watchForOrphans}).
     *
     * @param threads the threads' name, e.g. {@code cpm-fanout}
     * @param counter the role's meter of answered copies
     * @param claim   the role's copies of a record that is the role's, empty for another role's record
     */
    public static FanOut forRole(RouteBuilder route, String threads, PendingFanOutStore journal,
                                 DeliveryReports reports, CopyCounter counter,
                                 Function<PendingFanOut, Optional<Copies>> claim) throws Exception {
        CamelContext context = route.getContext();
        ExecutorService starter = context.getExecutorServiceManager().newFixedThreadPool(route, threads + "-start", 2);
        ScheduledExecutorService journalWriter = context.getExecutorServiceManager().newScheduledThreadPool(route,
                threads + "-journal", 4);
        FanOut fanOut = new FanOut(context, context.resolvePropertyPlaceholders(Hops.via(Hops.CORE_HOP)), starter,
                journalWriter,
                Long.parseLong(context.resolvePropertyPlaceholders("{{cpm.controlling.fanout-journal-interval-ms}}")),
                Integer.parseInt(context.resolvePropertyPlaceholders("{{cpm.controlling.fanout-in-flight}}")),
                journal, reports, counter);
        context.addService(fanOut, true, true);
        // messages accepted before a crash, or by a node that left the cluster, go out once the core's routes take
        // requests again
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                fanOut.watchForOrphans(claim);
            }
        });
        return fanOut;
    }

    @Override
    protected void doStart() throws Exception {
        core = context.getEndpoint(coreEndpointUri).createAsyncProducer();
        ServiceHelper.startService(core);
        journalPasses = journalWriter.scheduleWithFixedDelay(answers, journalIntervalMs, journalIntervalMs,
                TimeUnit.MILLISECONDS);
    }

    /** The answers not yet written are written now: after a stop, the next start does not send those copies again. */
    @Override
    protected void doStop() {
        if (journalPasses != null) {
            journalPasses.cancel(false);
        }
        answers.run();
        ServiceHelper.stopService(core);
    }

    /** The request's headers a copy carries: all but {@code notCopied} (the original hop's own), as lines. */
    public static List<String> headerLines(Message request, List<String> notCopied) {
        return HeaderLines.of(request, notCopied);
    }

    /**
     * Answers the request {@code 202 Accepted}, echoing the conversation identifiers it carried (wire-format.md
     * section 7.E): the role took it, its copies go out after.
     */
    public static void answerAccepted(Message request) {
        request.setHeader(SipMessageConstants.STATUS_CODE, 202);
        request.setHeader(SipMessageConstants.REASON_PHRASE, "Accepted");
        List<String> echoed = new ArrayList<>();
        for (String name : List.of(CpmHeaders.CONVERSATION_ID, CpmHeaders.CONTRIBUTION_ID)) {
            String value = request.getHeader(name, String.class);
            if (value != null) {
                echoed.add(name + ": " + value);
            }
        }
        request.setHeader(SipMessageConstants.RESPONSE_HEADERS, echoed);
    }

    /**
     * Records the accepted message (synced to disk with the Infinispan store; this node its owner), then starts
     * sending its copies and returns: the role's 202 goes out after the record is safe.
     */
    public void start(PendingFanOut accepted, Copies copies) {
        if (!accepted.recipients().isEmpty()) {
            journal.save(accepted);
        }
        Run run = new Run(accepted, copies);
        starter.execute(run::pump);
    }

    /**
     * Takes over the role's orphans now, and each time the cluster view loses a member (on the starter threads).
     * Once, after the routes started: the copies go out through the core's routes.
     *
     * @param claim the role's copies of a record that is the role's, empty for another role's record (left to that
     *              role's fan-out: both share the journal)
     */
    public void watchForOrphans(Function<PendingFanOut, Optional<Copies>> claim) {
        journal.node().onMembersLeft(() -> starter.execute(() -> takeOverOrphansSafely(claim)));
        takeOverOrphans(claim);
    }

    /**
     * Takes over and finishes the role's accepted messages whose owner is gone: this node's previous run (after a
     * crash or a stop) or a node that left the cluster. Of several nodes doing this at once each message goes to one.
     *
     * @return how many records this node took over and sends (or removed, every recipient having answered)
     */
    synchronized int takeOverOrphans(Function<PendingFanOut, Optional<Copies>> claim) {
        ClusterNode self = journal.node();
        int taken = 0;
        for (PendingFanOut orphan : journal.orphaned()) {
            Optional<Copies> copies = claim.apply(orphan);
            if (copies.isEmpty()) {
                continue;
            }
            String kind = copies.get().kind();
            Optional<PendingFanOut> takenOver = journal.takeOver(orphan);
            if (takenOver.isEmpty()) {
                LOG.info("fanout callId={} {}={} owner={} taken over by another node first", LogText.of(orphan.id()),
                        kind, orphan.groupUri(), LogText.of(orphan.owner()));
                continue;
            }
            taken++;
            PendingFanOut mine = takenOver.get();
            String previous = ClusterNode.nameOf(orphan.owner());
            String how = previous.equals(self.name()) ? "resumed after a restart"
                    : "taken over from " + (previous.isEmpty() ? "a router before owners were recorded" : previous);
            LOG.info("fanout callId={} {}={} sender={} {}: {} {} left", LogText.of(mine.id()), kind,
                    mine.groupUri(), LogText.of(mine.sender()), LogText.of(how), mine.recipients().size(),
                    copies.get().recipientsWord());
            if (mine.recipients().isEmpty()) {
                journal.remove(mine.id()); // every recipient answered before the owner died, the record outlived it
                continue;
            }
            Run run = new Run(mine, copies.get());
            starter.execute(run::pump);
        }
        return taken;
    }

    private void takeOverOrphansSafely(Function<PendingFanOut, Optional<Copies>> claim) {
        try {
            takeOverOrphans(claim);
        } catch (RuntimeException e) {
            LOG.warn("fanout taking over the messages of a node that left failed: {}", LogText.of(e.toString()), e);
        }
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
        /** Every recipient answered: the record is (being) removed, and the journal writes no answer of it. */
        private volatile boolean finished;

        /** What a report about this message needs, read from it at the first failure (empty: none asked for). */
        private volatile Optional<ReportedMessage> reportable;

        Run(PendingFanOut record, Copies copies) {
            this.copies = copies;
            this.callId = record.id();
            this.origin = record.groupUri();
            this.sender = record.sender();
            this.headers = HeaderLines.headers(record.headerLines());
            this.body = record.body();
            this.total = record.recipients().size();
            this.pending = record.recipients().iterator();
            if (total == 0) {
                LOG.info("fanout callId={} {}={} sender={} {}=0: nobody to send to", LogText.of(callId),
                        copies.kind(), origin, LogText.of(sender), copies.recipientsWord());
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
            counter.answered(outcome.isSuccess());
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
            if (done.incrementAndGet() == total) {
                finished = true;
                try {
                    journalWriter.execute(this::removeRecord);
                } catch (RejectedExecutionException stopping) {
                    removeRecord();
                }
            } else {
                answers.add(new Answer(this, recipient));
                pump(); // on the thread that got the answer: the copy's slot takes the next recipient at once
            }
        }

        /** Every recipient answered: the record goes (a synced write, so on a journal writer thread). */
        private void removeRecord() {
            journal.remove(callId);
            LOG.info("fanout callId={} {}={} sender={} {}={} delivered={} failed={} in {} ms",
                    LogText.of(callId), copies.kind(), origin, LogText.of(sender), copies.recipientsWord(), total,
                    delivered.get(), total - delivered.get(), (System.nanoTime() - startedNanos) / 1_000_000);
        }
    }

    /** A recipient that answered its copy of the message {@code run} sends, to record. */
    private record Answer(Run run, String recipient) {
    }

    /**
     * Records the recipients' answers every {@code journalIntervalMs}: each pass takes every answer that came since the
     * one before, leaves out those of messages whose fan-out has finished (their record is gone or going), and records
     * the rest in one store call (one synced and, clustered, replicated write). No copy waits for it. The answers
     * since the last pass, and the copies in flight, are what a crash makes a recipient get twice.
     */
    private final class AnswerJournal implements Runnable {
        private final ConcurrentLinkedQueue<Answer> queue = new ConcurrentLinkedQueue<>();

        void add(Answer answer) {
            queue.add(answer);
        }

        /** One pass; never throws, so that the scheduled passes go on after a failed write. */
        @Override
        public synchronized void run() {
            Map<Run, List<String>> byRun = new HashMap<>();
            for (Answer a = queue.poll(); a != null; a = queue.poll()) {
                if (!a.run().finished) {
                    byRun.computeIfAbsent(a.run(), k -> new ArrayList<>()).add(a.recipient());
                }
            }
            if (byRun.isEmpty()) {
                return;
            }
            Map<String, List<String>> byMessage = new HashMap<>();
            byRun.forEach((run, recipients) -> byMessage.put(run.callId, recipients));
            try {
                journal.answered(byMessage);
                // a fan-out that finished while this pass wrote has had its record removed: its answers go too
                byRun.keySet().stream().filter(run -> run.finished).forEach(run -> journal.remove(run.callId));
            } catch (RuntimeException e) {
                // the recipients got their copies; only a takeover after a crash would send them again
                LOG.warn("fanout answers of {} messages not recorded: {}", byMessage.size(), LogText.of(e.toString()));
            }
        }
    }
}
