package org.cpmrouter.sip.camel;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.cpmrouter.sip.IncomingRequest;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.OverloadGuard;
import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.SipStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each received request into an Exchange, runs the route asynchronously, and answers the request with the
 * route's outcome: {@link SipMessageConstants#STATUS_CODE} (the endpoint's {@code defaultStatus}, 200, when the
 * route set none), a
 * {@link SipResponseException}'s status, or {@code 500} for any other failure. A relayed refusal also carries the
 * next hop's {@code Server} and, on a {@code 415} or {@code 488}, its {@code Accept*} lines, which a producer kept
 * ({@link SipMessageConstants#REFUSAL_HEADERS}); a refusal of the router's own says {@code Server: CPM-Router}. So
 * the sender learns who refused and what the recipient takes.
 */
public class SipMessageConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SipMessageConsumer.class);

    private SipNode node;

    public SipMessageConsumer(SipMessageEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SipMessageEndpoint getEndpoint() {
        return (SipMessageEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SipMessageEndpoint endpoint = getEndpoint();
        HostPort hp = endpoint.hostPort();
        SipMessageComponent component = endpoint.getComponent();
        node = component.acquireNode(hp.host(), hp.port(), endpoint.transportList(), endpoint.methodSet(),
                endpoint.getTlsPort());
        node.setHandler(this::onRequest);
        node.setOverloadGuard(new OverloadGuard(component.getMaxInFlight(), component.getRetryAfterSeconds(),
                component.getOverloadBurstMs(), Math.multiplyExact(component.getConnectionBacklogKb(), 1024)));
        if (component.getSourceScreen() != null) {
            node.setSourceScreen(component.getSourceScreen());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (node != null) {
            node.setHandler(null);
            getEndpoint().getComponent().releaseNode(node);
            node = null;
        }
        super.doStop();
    }

    /** The node this consumer listens with (its bound port, when 0 was asked for). */
    public SipNode node() {
        return node;
    }

    private void onRequest(IncomingRequest in) {
        Exchange exchange = createExchange(false);
        try {
            SipMessageBinding.toCamel(in, exchange.getMessage(), getEndpoint().getHeaderFilterStrategy());
        } catch (RuntimeException e) {
            LOG.warn("callId={} cannot map request: {}", LogText.of(in.callId()), LogText.of(e.toString()));
            in.respond(400);
            releaseExchange(exchange, false);
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                answer(in, exchange, getEndpoint().getDefaultStatus());
            } finally {
                releaseExchange(exchange, false);
            }
        });
    }

    private static void answer(IncomingRequest in, Exchange exchange, int defaultStatus) {
        Exception failure = exchange.getException();
        if (failure != null) {
            SipResponseException refusal = SipResponseException.in(failure).orElse(null);
            if (refusal != null) {
                in.respond(refusal.status(), refusal.reason(), refusal.status() >= 300
                        ? withRefusalLines(refusal.headers(), refusal.status(), null) : refusal.headers());
            } else {
                LOG.error("callId={} route failed; answering 500", LogText.of(in.callId()), failure);
                in.respond(500, SipStatus.reasonPhrase(500), withRefusalLines(List.of(), 500, null));
            }
            return;
        }
        Integer status = exchange.getMessage().getHeader(SipMessageConstants.STATUS_CODE, Integer.class);
        if (status == null && defaultStatus >= 300) {
            LOG.error("callId={} route completed without a SIP outcome; answering {}", LogText.of(in.callId()),
                    defaultStatus);
        }
        int code = status == null ? defaultStatus : status;
        String reason = exchange.getMessage().getHeader(SipMessageConstants.REASON_PHRASE, String.class);
        List<?> extra = exchange.getMessage().getHeader(SipMessageConstants.RESPONSE_HEADERS, List.class);
        List<String> lines = extra == null ? List.of() : extra.stream().map(Object::toString).toList();
        if (code >= 300) {
            lines = withRefusalLines(lines, code,
                    exchange.getMessage().getHeader(SipMessageConstants.REFUSAL_HEADERS, List.class));
        }
        in.respond(code, reason != null ? reason : SipStatus.reasonPhrase(code), lines);
    }

    /**
     * A refusal's lines: the route's own, plus what a producer kept from the next hop's refusal where the route did
     * not write it: its {@code Server} (who refused) and, on a 415 or 488, its {@code Accept*} lines (what the
     * recipient takes). A refusal nobody relayed ({@code kept} null) is the router's own: {@code Server: CPM-Router}.
     */
    static List<String> withRefusalLines(List<String> lines, int code, List<?> kept) {
        List<String> all = new ArrayList<>(lines);
        if (kept == null) {
            addUnlessNamed(all, lines, "Server: " + SipMessageConstants.OWN_SERVER);
            return all;
        }
        for (Object line : kept) {
            String text = line.toString();
            if (text.regionMatches(true, 0, "Server:", 0, 7) || code == 415 || code == 488) {
                addUnlessNamed(all, lines, text);
            }
        }
        return all;
    }

    private static void addUnlessNamed(List<String> all, List<String> routeLines, String line) {
        String name = line.substring(0, Math.max(line.indexOf(':'), 0)).trim();
        boolean named = routeLines.stream().anyMatch(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1));
        if (!name.isEmpty() && !named) {
            all.add(line);
        }
    }
}
