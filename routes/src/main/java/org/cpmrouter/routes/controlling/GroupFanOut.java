package org.cpmrouter.routes.controlling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.cpmrouter.groupstore.ClusterNode;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.groupstore.PendingFanOut;
import org.cpmrouter.groupstore.PendingFanOutStore;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.HeaderLines;
import org.cpmrouter.routes.path.ServedUserMarker;
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
 * The Controlling Function's fan-out: one copy of an accepted group message per member except the sender, each
 * sent into the SIP/IP Core as a request whose originating leg is done (the group originates it), so it takes the
 * member's terminating Participating Function and registrar lookup like any message. Identity headers follow the
 * project decision in wire-format.md: From and P-Asserted-Identity the group, Referred-By the sender, the CPIM body
 * and Conversation-ID/Contribution-ID unchanged.
 *
 * <p>Asynchronous and bounded: at most {@code maxInFlight} copies are outstanding; each final response starts the
 * next one, on whatever thread delivered it, so a large group parks no thread per member. A member whose copy is
 * refused or times out is logged against that member, and its sender, when it asked for negative-delivery, gets a
 * {@code failed} IMDN naming the member ({@link DeliveryReports}); the others still get theirs.
 *
 * <p>Nothing accepted is lost, and nothing answered is sent again: {@link #start} records the message in the
 * {@link PendingFanOutStore} before the Controlling Function answers 202, each member is recorded as answered when
 * its final response arrives (one synced write, before that copy's slot starts the next one), and the record is
 * removed after the last. The record names this node as its owner. {@link #takeOverOrphans}, run once the routes
 * have started and again whenever the cluster view loses a member, takes over the records whose owner is gone (a
 * node that died, or this node's previous run), one node per record, and sends only the members nobody answered.
 * The crash window: a copy in flight when its node dies (at most {@code cpm.controlling.fanout-in-flight} per
 * message), or answered in the milliseconds before its answer is written, is sent again, with the same IMDN
 * Message-ID, by which the member's client recognises it.
 */
public final class GroupFanOut extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GroupFanOut.class);

    /** Headers of the original request that are the original hop's own, not the copies'. */
    private static final List<String> NOT_COPIED = List.of("From", "To", "Call-ID", "CSeq", "Max-Forwards", "Route",
            "Contact", CpmHeaders.P_ASSERTED_IDENTITY, CpmHeaders.P_PREFERRED_IDENTITY, CpmHeaders.P_SERVED_USER,
            ServedUserMarker.SERVED_LEG, CpmHeaders.REFERRED_BY);

    private final CamelContext context;
    private final String coreEndpointUri;
    private final Executor starter;
    private final Executor journalWriter;
    private final int maxInFlight;
    private final PendingFanOutStore journal;
    private final GroupStore groups;
    private final DeliveryReports reports;
    private final RouterMetrics metrics;
    private final AnswerJournal answers = new AnswerJournal();
    private AsyncProducer core;

    /**
     * @param starter       threads that start fan-outs and take over orphans
     * @param journalWriter threads that record answers and start the next copies: a journal write waits for every
     *                      node (and, while a dead node is being suspected, for the new view), which must not hold up
     *                      the SIP stack's threads that deliver the answers
     */
    GroupFanOut(CamelContext context, String coreEndpointUri, Executor starter, Executor journalWriter,
                int maxInFlight, PendingFanOutStore journal, GroupStore groups, DeliveryReports reports,
                RouterMetrics metrics) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("cpm.controlling.fanout-in-flight must be at least 1");
        }
        this.context = context;
        this.coreEndpointUri = coreEndpointUri;
        this.starter = starter;
        this.journalWriter = journalWriter;
        this.maxInFlight = maxInFlight;
        this.journal = journal;
        this.groups = groups;
        this.reports = reports;
        this.metrics = metrics;
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

    /**
     * Records the accepted message (synced to disk with the Infinispan store), then starts sending it to every member
     * but the sender and returns: the 202 goes out after the record is safe.
     */
    void start(Exchange accepted, Group group, String sender) {
        List<String> headerLines = HeaderLines.of(accepted.getMessage(), NOT_COPIED);
        byte[] body = accepted.getMessage().getBody(byte[].class);
        List<String> recipients = new ArrayList<>(group.members());
        recipients.remove(sender);
        PendingFanOut pending = new PendingFanOut(accepted.getMessage().getHeader("Call-ID", "-", String.class),
                group.uri(), sender, headerLines, body == null ? new byte[0] : body, recipients);
        if (!recipients.isEmpty()) {
            journal.save(pending);
        }
        Run run = new Run(pending, group.displayName());
        starter.execute(run::pump);
    }

    /**
     * Takes over and finishes the accepted messages whose owner is gone: this node's previous run (after a crash or
     * a stop) or a node that left the cluster. Of several nodes doing this at once each message goes to one.
     * Runs after the routes started, and on the fan-out starter threads after each view change that lost a member.
     */
    synchronized void takeOverOrphans() {
        ClusterNode self = journal.node();
        for (PendingFanOut orphan : journal.orphaned()) {
            Optional<PendingFanOut> taken = journal.takeOver(orphan);
            if (taken.isEmpty()) {
                LOG.info("fanout callId={} group={} owner={} taken over by another node first", LogText.of(orphan.id()),
                        orphan.groupUri(), LogText.of(orphan.owner()));
                continue;
            }
            PendingFanOut mine = taken.get();
            String previous = ClusterNode.nameOf(orphan.owner());
            String how = previous.equals(self.name()) ? "resumed after a restart"
                    : "taken over from " + (previous.isEmpty() ? "a router before owners were recorded" : previous);
            LOG.info("fanout callId={} group={} sender={} {}: {} members left", LogText.of(mine.id()),
                    mine.groupUri(), LogText.of(mine.sender()), LogText.of(how), mine.recipients().size());
            if (mine.recipients().isEmpty()) {
                journal.remove(mine.id()); // every member answered before the owner died, the record outlived it
                continue;
            }
            String name = groups.find(mine.groupUri()).map(Group::displayName).orElse("");
            Run run = new Run(mine, name);
            starter.execute(run::pump);
        }
    }

    /** Takes over the orphans now, and each time the cluster view loses a member (on the starter threads). */
    void watchForOrphans() {
        journal.node().onMembersLeft(() -> starter.execute(this::takeOverOrphansSafely));
        takeOverOrphans();
    }

    private void takeOverOrphansSafely() {
        try {
            takeOverOrphans();
        } catch (RuntimeException e) {
            LOG.warn("fanout taking over the messages of a node that left failed: {}", LogText.of(e.toString()), e);
        }
    }

    private final class Run {
        private final String callId;
        private final String groupUri;
        private final String groupName;
        private final String sender;
        private final Map<String, Object> headers;
        private final byte[] body;
        private final int total;
        private final Iterator<String> pending;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger pumping = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger delivered = new AtomicInteger();
        private final long startedNanos = System.nanoTime();

        /** What a report about this message needs, read from it at the first failure (empty: none asked for). */
        private volatile Optional<ReportedMessage> reportable;

        Run(PendingFanOut record, String groupName) {
            this.callId = record.id();
            this.groupUri = record.groupUri();
            this.groupName = groupName;
            this.sender = record.sender();
            this.headers = HeaderLines.headers(record.headerLines());
            this.body = record.body();
            this.total = record.recipients().size();
            this.pending = record.recipients().iterator();
            if (total == 0) {
                LOG.info("fanout callId={} group={} sender={} members=0: nobody to send to", LogText.of(callId),
                        groupUri, LogText.of(sender));
            }
        }

        private Optional<ReportedMessage> reportable() {
            Optional<ReportedMessage> known = reportable;
            if (known == null) {
                Object contentType = headers.entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                known = ReportedMessage.of(callId, sender, groupUri,
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
                    String member;
                    synchronized (pending) {
                        if (!pending.hasNext()) {
                            break;
                        }
                        member = pending.next();
                    }
                    inFlight.incrementAndGet();
                    send(member);
                }
            } while (pumping.decrementAndGet() != 0);
        }

        private void send(String member) {
            Exchange copy = copyFor(member);
            try {
                core.process(copy, doneSync -> finished(member, copy));
            } catch (RuntimeException e) {
                copy.setException(e);
                finished(member, copy);
            }
        }

        private Exchange copyFor(String member) {
            Exchange copy = new DefaultExchange(context);
            var m = copy.getMessage();
            m.setHeaders(new HashMap<>(headers));
            String name = groupName.isBlank() ? "" : "\"" + groupName.replace("\"", "") + "\" ";
            m.setHeader(SipMessageConstants.METHOD, "MESSAGE");
            m.setHeader(SipMessageConstants.REQUEST_URI, member);
            m.setHeader("From", name + "<" + groupUri + ">");
            m.setHeader("To", "<" + member + ">");
            m.setHeader("Call-ID", UUID.randomUUID() + "@" + callId.substring(callId.indexOf('@') + 1));
            m.setHeader("CSeq", "1 MESSAGE");
            m.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + groupUri + ">");
            m.setHeader(CpmHeaders.REFERRED_BY, "<" + sender + ">");
            // the group originates the copy: its originating leg is done, the core routes it to the member
            ServedUserMarker.handTo(m, groupUri, true);
            ServedUserMarker.markServed(m);
            m.setBody(body);
            return copy;
        }

        private void finished(String member, Exchange copy) {
            SipOutcome outcome = SipOutcome.of(copy);
            metrics.fanOutCopy(outcome.isSuccess());
            if (outcome.isSuccess()) {
                delivered.incrementAndGet();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("fanout callId={} group={} member={} status={}", LogText.of(callId), groupUri, member,
                            outcome.status());
                }
            } else {
                LOG.info("fanout callId={} group={} member={} not delivered: status={} reason=\"{}\"",
                        LogText.of(callId), groupUri, member, outcome.status(), LogText.of(outcome.reason()));
                // nothing sends this copy again: the sender learns it failed, when it asked to
                reportable().ifPresent(message -> reports.report(message.withRecipient(member), ImdnStatus.FAILED,
                        "group " + groupUri + " member answered " + outcome.status() + " " + outcome.reason()));
            }
            answers.add(new Answer(callId, member, () -> answered(member)));
        }

        /**
         * After the member's answer is recorded (so before the slot starts another copy, and before the last answer
         * can remove the record); on a journal writer thread.
         */
        private void answered(String member) {
            inFlight.decrementAndGet();
            int answered = done.incrementAndGet();
            if (answered == total) {
                journal.remove(callId);
                LOG.info("fanout callId={} group={} sender={} members={} delivered={} failed={} in {} ms",
                        LogText.of(callId), groupUri, LogText.of(sender), total, delivered.get(),
                        total - delivered.get(),
                        (System.nanoTime() - startedNanos) / 1_000_000);
            }
            pump();
        }
    }

    /** A member's answer to record, and what to do once it is recorded. */
    private record Answer(String callId, String member, Runnable then) {
    }

    /**
     * Records the members' answers in batches (group commit): one writer at a time takes every answer that came
     * while the previous batch was being written and records them in one store call (one replicated, synced write),
     * then lets each answer's fan-out go on. An answer waits at most for the batch before it and its own; that, and
     * the copies in flight, is the window in which a crash makes a member get a copy twice.
     */
    private final class AnswerJournal {
        private static final int MOST_PER_BATCH = 1024;
        private final ConcurrentLinkedQueue<Answer> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean writing = new AtomicBoolean();

        void add(Answer answer) {
            queue.add(answer);
            kick();
        }

        private void kick() {
            if (writing.compareAndSet(false, true)) {
                try {
                    journalWriter.execute(this::drain);
                } catch (RejectedExecutionException stopping) {
                    drain();
                }
            }
        }

        private void drain() {
            try {
                for (List<Answer> batch = next(); !batch.isEmpty(); batch = next()) {
                    write(batch);
                    for (Answer answer : batch) {
                        try {
                            journalWriter.execute(answer.then());
                        } catch (RejectedExecutionException stopping) {
                            answer.then().run();
                        }
                    }
                }
            } finally {
                writing.set(false);
                if (!queue.isEmpty()) {
                    kick();
                }
            }
        }

        private List<Answer> next() {
            List<Answer> batch = new ArrayList<>();
            for (Answer a = queue.poll(); a != null; a = batch.size() < MOST_PER_BATCH ? queue.poll() : null) {
                batch.add(a);
            }
            return batch;
        }

        private void write(List<Answer> batch) {
            Map<String, List<String>> byMessage = new HashMap<>();
            for (Answer a : batch) {
                byMessage.computeIfAbsent(a.callId(), k -> new ArrayList<>()).add(a.member());
            }
            try {
                journal.answered(byMessage);
            } catch (RuntimeException e) {
                // the members got their copies; only a takeover after a crash would send them again
                LOG.warn("fanout {} answers of {} messages not recorded: {}", batch.size(), byMessage.size(),
                        LogText.of(e.toString()));
            }
        }
    }
}
