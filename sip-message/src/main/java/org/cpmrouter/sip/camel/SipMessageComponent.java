package org.cpmrouter.sip.camel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.SipNodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sip-message} component: SIP MESSAGE (RFC 3428) in and out of Camel routes on the JAIN-SIP RI.
 *
 * <pre>
 * from("sip-message:127.0.0.1:5060")                  // listen (UDP and TCP) and answer with the route's outcome
 * to("sip-message:10.0.0.7:5060?transport=tcp")       // send to a fixed next hop
 * to("sip-message:request-uri")                       // send to the host:port of the Request-URI
 * </pre>
 *
 * One SIP stack serves every endpoint bound to the same local address; producers send from the node named by
 * {@code localAddress} (endpoint option, else this component's), so that responses and the peer's view of
 * who sent the request match the consumer's listening address.
 */
@Component("sip-message")
public class SipMessageComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SipMessageComponent.class);

    private final Map<String, NodeRef> nodes = new HashMap<>();
    private String localAddress;
    private int threadPoolSize = 8;
    private int maxInFlight;
    private int retryAfterSeconds = 5;
    private int queueTimeoutMs = SipNode.DEFAULT_QUEUE_TIMEOUT_MS;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SipMessageEndpoint endpoint = new SipMessageEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** Default {@code host:port} producers send from; the node there is started on first use. */
    public String getLocalAddress() {
        return localAddress;
    }

    public void setLocalAddress(String localAddress) {
        this.localAddress = localAddress;
    }

    /** Threads each SIP stack reads and dispatches with (default 8). */
    public int getThreadPoolSize() {
        return threadPoolSize;
    }

    public void setThreadPoolSize(int threadPoolSize) {
        this.threadPoolSize = threadPoolSize;
    }

    /**
     * Overload control of consumers: requests handed to a route and not answered yet, at most; past it a new
     * request gets {@code 503} with {@code Retry-After} at once (see {@link org.cpmrouter.sip.OverloadGuard}).
     * 0 (default): no limit.
     */
    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** Seconds a client refused for overload is asked to wait ({@code Retry-After}, default 5). */
    public int getRetryAfterSeconds() {
        return retryAfterSeconds;
    }

    public void setRetryAfterSeconds(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Longest a received datagram may wait in a stack's receive queue before it is dropped unread, milliseconds
     * (default 2000): bounds memory under overload.
     */
    public int getQueueTimeoutMs() {
        return queueTimeoutMs;
    }

    public void setQueueTimeoutMs(int queueTimeoutMs) {
        this.queueTimeoutMs = queueTimeoutMs;
    }

    /** Starts, or shares, the node bound to host:port (port 0: a new node on a free port). */
    synchronized SipNode acquireNode(String host, int port, List<String> transports, Set<String> methods)
            throws Exception {
        // port 0 always means a new node on a free port, registered under the port it got
        NodeRef ref = port == 0 ? null : nodes.get(host + ":" + port);
        if (ref == null) {
            java.util.Properties stack = new java.util.Properties();
            stack.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", Integer.toString(queueTimeoutMs));
            SipNodeConfig config = new SipNodeConfig(host, port, transports, methods, threadPoolSize, stack);
            ref = new NodeRef(SipNode.start(config));
            nodes.put(host + ":" + ref.node.port(), ref);
        }
        ref.users++;
        return ref.node;
    }

    /** The node producers send from when an endpoint names none: this component's localAddress. */
    synchronized SipNode acquireProducerNode(String endpointLocalAddress) throws Exception {
        String address = endpointLocalAddress != null ? endpointLocalAddress : localAddress;
        if (address == null) {
            if (nodes.size() == 1) {
                NodeRef only = nodes.values().iterator().next();
                only.users++;
                return only.node;
            }
            LOG.info("sip-message: no localAddress configured; starting a send-only node on 127.0.0.1");
            address = "127.0.0.1:0";
        }
        HostPort hp = HostPort.parse(address, 5060);
        return acquireNode(hp.host(), hp.port(), List.of("udp", "tcp"), Set.of("MESSAGE", "REGISTER"));
    }

    synchronized void releaseNode(SipNode node) {
        NodeRef ref = null;
        for (NodeRef r : nodes.values()) {
            if (r.node == node) {
                ref = r;
                break;
            }
        }
        if (ref == null) {
            return;
        }
        ref.users--;
        if (ref.users <= 0) {
            NodeRef gone = ref;
            nodes.values().removeIf(r -> r == gone);
            node.close();
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        for (NodeRef ref : Set.copyOf(nodes.values())) {
            ref.node.close();
        }
        nodes.clear();
        super.doStop();
    }

    private static final class NodeRef {
        final SipNode node;
        int users;

        NodeRef(SipNode node) {
            this.node = node;
        }
    }
}
