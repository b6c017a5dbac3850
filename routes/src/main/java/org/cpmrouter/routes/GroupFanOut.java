package org.cpmrouter.routes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.cpmrouter.groupstore.Group;
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
 * refused or times out is logged against that member; the others still get theirs.
 */
final class GroupFanOut extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GroupFanOut.class);

    /** Headers of the original request that are the original hop's own, not the copies'. */
    private static final List<String> NOT_COPIED = List.of("From", "To", "Call-ID", "CSeq", "Max-Forwards", "Route",
            "Contact", CpmHeaders.P_ASSERTED_IDENTITY, CpmHeaders.P_PREFERRED_IDENTITY, CpmHeaders.P_SERVED_USER,
            ServedUserMarker.SERVED_LEG, CpmHeaders.REFERRED_BY);

    private final CamelContext context;
    private final String coreEndpointUri;
    private final Executor starter;
    private final int maxInFlight;
    private AsyncProducer core;

    GroupFanOut(CamelContext context, String coreEndpointUri, Executor starter, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("cpm.controlling.fanout-in-flight must be at least 1");
        }
        this.context = context;
        this.coreEndpointUri = coreEndpointUri;
        this.starter = starter;
        this.maxInFlight = maxInFlight;
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

    /** Starts sending the accepted message to every member but the sender; returns at once. */
    void start(Exchange accepted, Group group, String sender) {
        Map<String, Object> headers = new HashMap<>();
        accepted.getMessage().getHeaders().forEach((name, value) -> {
            if (!name.startsWith("Camel") && NOT_COPIED.stream().noneMatch(name::equalsIgnoreCase)) {
                headers.put(name, value);
            }
        });
        byte[] body = accepted.getMessage().getBody(byte[].class);
        List<String> recipients = new ArrayList<>(group.members());
        recipients.remove(sender);
        Run run = new Run(accepted.getMessage().getHeader("Call-ID", "-", String.class), group, sender, headers,
                body == null ? new byte[0] : body, recipients);
        starter.execute(run::pump);
    }

    private final class Run {
        private final String callId;
        private final Group group;
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

        Run(String callId, Group group, String sender, Map<String, Object> headers, byte[] body,
            List<String> recipients) {
            this.callId = callId;
            this.group = group;
            this.sender = sender;
            this.headers = headers;
            this.body = body;
            this.total = recipients.size();
            this.pending = recipients.iterator();
            if (total == 0) {
                LOG.info("fanout callId={} group={} sender={} members=0: nobody to send to", callId, group.uri(), sender);
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
            String name = group.displayName().isBlank() ? "" : "\"" + group.displayName().replace("\"", "") + "\" ";
            m.setHeader(SipMessageConstants.METHOD, "MESSAGE");
            m.setHeader(SipMessageConstants.REQUEST_URI, member);
            m.setHeader("From", name + "<" + group.uri() + ">");
            m.setHeader("To", "<" + member + ">");
            m.setHeader("Call-ID", UUID.randomUUID() + "@" + callId.substring(callId.indexOf('@') + 1));
            m.setHeader("CSeq", "1 MESSAGE");
            m.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + group.uri() + ">");
            m.setHeader(CpmHeaders.REFERRED_BY, "<" + sender + ">");
            // the group originates the copy: its originating leg is done, the core routes it to the member
            ServedUserMarker.handTo(m, group.uri(), true);
            ServedUserMarker.markServed(m);
            m.setBody(body);
            return copy;
        }

        private void finished(String member, Exchange copy) {
            SipOutcome outcome = SipOutcome.of(copy);
            if (outcome.isSuccess()) {
                delivered.incrementAndGet();
                LOG.debug("fanout callId={} group={} member={} status={}", callId, group.uri(), member,
                        outcome.status());
            } else {
                LOG.info("fanout callId={} group={} member={} not delivered: status={} reason=\"{}\"", callId,
                        group.uri(), member, outcome.status(), outcome.reason());
            }
            inFlight.decrementAndGet();
            if (done.incrementAndGet() == total) {
                LOG.info("fanout callId={} group={} sender={} members={} delivered={} failed={} in {} ms", callId,
                        group.uri(), sender, total, delivered.get(), total - delivered.get(),
                        (System.nanoTime() - startedNanos) / 1_000_000);
            }
            pump();
        }
    }
}
