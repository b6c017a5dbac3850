package org.cpmrouter.sip.camel;

import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.message.Request;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.SipTlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the Exchange as a SIP request in a client transaction and completes the Exchange when the final
 * response arrives, from the stack's thread: no thread waits for the answer. The outcome is in
 * {@link SipMessageConstants#STATUS_CODE} and {@link SipMessageConstants#REASON_PHRASE}; no final response within
 * the transaction timeout ({@code transactionTimeoutMs}) reads as {@code 408}, a transport failure as {@code 503},
 * both with {@link SipMessageConstants#NO_ANSWER} set. A message that cannot be made into a request fails
 * the Exchange with the reason.
 */
public class SipMessageProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(SipMessageProducer.class);

    private volatile SipNode node;

    public SipMessageProducer(SipMessageEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public SipMessageEndpoint getEndpoint() {
        return (SipMessageEndpoint) super.getEndpoint();
    }

    /**
     * The node to send from, taken on first use: Camel starts producers before consumers, and the node at the
     * router's own address must be the one its consumer binds with the consumer's transports.
     */
    private SipNode node() throws Exception {
        SipNode current = node;
        if (current == null) {
            synchronized (this) {
                current = node;
                if (current == null) {
                    current = getEndpoint().getComponent().acquireProducerNode(getEndpoint().getLocalAddress());
                    node = current;
                }
            }
        }
        return current;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (node != null) {
            getEndpoint().getComponent().releaseNode(node);
            node = null;
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Request request;
        Hop hop;
        SipNode node;
        try {
            node = node();
            // parsed once: for the next hop and as the request's Request-URI
            URI target = getEndpoint().isRequestUriTarget() ? requestUri(exchange, node) : null;
            hop = nextHop(exchange, target, node);
            request = SipMessageBinding.toRequest(exchange.getMessage(), node, hop.getTransport(), target,
                    getEndpoint().getHeaderFilterStrategy());
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("callId={} sending {} to {}:{}/{}", LogText.of(exchange.getMessage().getHeader("Call-ID")),
                    request.getMethod(), LogText.of(hop.getHost()), hop.getPort(), hop.getTransport());
        }
        node.send(request, hop, getEndpoint().effectiveTransactionTimeoutMs()).whenComplete((response, error) -> {
            if (error != null) {
                exchange.setException(error);
            } else {
                SipMessageBinding.fromResponse(response, exchange.getMessage());
                exchange.getMessage().setHeader(SipMessageConstants.NO_ANSWER, SipNode.isLocallyMade(response));
            }
            callback.done(false);
        });
        return false;
    }

    private static URI requestUri(Exchange exchange, SipNode node) throws Exception {
        String uriText = exchange.getMessage().getHeader(SipMessageConstants.REQUEST_URI, String.class);
        if (uriText == null) {
            throw new IllegalArgumentException("no " + SipMessageConstants.REQUEST_URI + " to send to");
        }
        return node.addressFactory().createURI(uriText);
    }

    /**
     * The endpoint's address, or, for a Request-URI target, the first {@code Route} entry when the request has one
     * (loose routing, RFC 3261 section 16.12: a proxy on the way, such as one a registration's {@code Path} names),
     * else where {@code uri} says.
     */
    private Hop nextHop(Exchange exchange, URI uri, SipNode node) throws java.text.ParseException {
        SipMessageEndpoint endpoint = getEndpoint();
        if (!endpoint.isRequestUriTarget()) {
            HostPort hp = endpoint.hostPort();
            return SipNode.hop(hp.host(), hp.port(), endpoint.getTransport());
        }
        String firstRoute = firstValue(exchange.getMessage().getHeader("Route"));
        if (firstRoute != null) {
            URI route = node.addressFactory().createAddress(firstRoute).getURI();
            if (!(route instanceof SipURI)) {
                throw new IllegalArgumentException("cannot send to a non-SIP Route: " + firstRoute);
            }
            return hopOf((SipURI) route);
        }
        if (!(uri instanceof SipURI)) {
            throw new IllegalArgumentException("cannot send to a non-SIP Request-URI: "
                    + exchange.getMessage().getHeader(SipMessageConstants.REQUEST_URI, String.class));
        }
        return hopOf((SipURI) uri);
    }

    /** Where a SIP URI says to send: its host, port (the scheme's default when none) and transport. */
    private Hop hopOf(SipURI sip) {
        String transport = sip.isSecure() ? "tls" : sip.getTransportParam() != null
                ? sip.getTransportParam().toLowerCase() : getEndpoint().getTransport();
        int port = sip.getPort() > 0 ? sip.getPort() : "tls".equals(transport) ? SipTlsConfig.DEFAULT_PORT : 5060;
        return SipNode.hop(sip.getHost(), port, transport);
    }

    private static String firstValue(Object header) {
        Object first = header instanceof java.util.List<?> list ? (list.isEmpty() ? null : list.get(0)) : header;
        return first == null || first.toString().isBlank() ? null : first.toString();
    }
}
