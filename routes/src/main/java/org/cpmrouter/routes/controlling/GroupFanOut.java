package org.cpmrouter.routes.controlling;

import java.util.ArrayList;
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

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
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
 * <p>Nothing accepted is lost: {@link #start} records the message in the {@link PendingFanOutStore} before the
 * Controlling Function answers 202, the record is narrowed to the members not yet answered every
 * {@value #CHECKPOINT_EVERY} answers and removed after the last; {@link #resumePending()}, run once the routes have
 * started, sends what a previous process left unsent. A member answered after the last checkpoint and before a
 * crash gets a second copy with the same IMDN Message-ID, by which its client recognises it.
 */
public final class GroupFanOut extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GroupFanOut.class);

    /** Headers of the original request that are the original hop's own, not the copies'. */
    private static final List<String> NOT_COPIED = List.of("From", "To", "Call-ID", "CSeq", "Max-Forwards", "Route",
            "Contact", CpmHeaders.P_ASSERTED_IDENTITY, CpmHeaders.P_PREFERRED_IDENTITY, CpmHeaders.P_SERVED_USER,
            ServedUserMarker.SERVED_LEG, CpmHeaders.REFERRED_BY);

    /** Answers between two checkpoints of a record (each is one synced write). */
    static final int CHECKPOINT_EVERY = 32;

    private final CamelContext context;
    private final String coreEndpointUri;
    private final Executor starter;
    private final int maxInFlight;
    private final PendingFanOutStore journal;
    private final GroupStore groups;
    private final DeliveryReports reports;
    private final RouterMetrics metrics;
    private AsyncProducer core;

    GroupFanOut(CamelContext context, String coreEndpointUri, Executor starter, int maxInFlight,
                PendingFanOutStore journal, GroupStore groups, DeliveryReports reports, RouterMetrics metrics) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("cpm.controlling.fanout-in-flight must be at least 1");
        }
        this.context = context;
        this.coreEndpointUri = coreEndpointUri;
        this.starter = starter;
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

    /** Sends what an earlier process accepted and did not finish (after a crash); once, after the routes started. */
    void resumePending() {
        for (PendingFanOut pending : journal.all()) {
            String name = groups.find(pending.groupUri()).map(Group::displayName).orElse("");
            LOG.info("fanout callId={} group={} sender={} resumed after a restart: {} members left",
                    LogText.of(pending.id()), pending.groupUri(), LogText.of(pending.sender()),
                    pending.recipients().size());
            Run run = new Run(pending, name);
            starter.execute(run::pump);
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

        private final PendingFanOut record;
        private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
        /** What a report about this message needs, read from it at the first failure (empty: none asked for). */
        private volatile Optional<ReportedMessage> reportable;
        private boolean finished; // guarded by this: no checkpoint may follow the final removal

        Run(PendingFanOut record, String groupName) {
            this.record = record;
            this.callId = record.id();
            this.groupUri = record.groupUri();
            this.groupName = groupName;
            this.sender = record.sender();
            this.headers = HeaderLines.headers(record.headerLines());
            this.body = record.body();
            this.total = record.recipients().size();
            this.pending = record.recipients().iterator();
            this.unanswered.addAll(record.recipients());
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

        /** Narrows the record to the members not yet answered, or removes it after the last answer. */
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
            inFlight.decrementAndGet();
            unanswered.remove(member);
            int answered = done.incrementAndGet();
            if (answered == total) {
                checkpoint(true);
            } else if (answered % CHECKPOINT_EVERY == 0) {
                checkpoint(false);
            }
            if (answered == total) {
                LOG.info("fanout callId={} group={} sender={} members={} delivered={} failed={} in {} ms",
                        LogText.of(callId), groupUri, LogText.of(sender), total, delivered.get(),
                        total - delivered.get(),
                        (System.nanoTime() - startedNanos) / 1_000_000);
            }
            pump();
        }
    }
}
