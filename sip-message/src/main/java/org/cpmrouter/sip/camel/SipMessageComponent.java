package org.cpmrouter.sip.camel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategyAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.SipNodeConfig;
import org.cpmrouter.sip.SipTlsConfig;
import org.cpmrouter.sip.SipTrafficListener;
import org.cpmrouter.sip.SourceScreen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sip-message} component: SIP MESSAGE (RFC 3428) in and out of Camel routes on the JAIN-SIP RI.
 *
 * <pre>
 * from("sip-message:127.0.0.1:5060")                  // listen (UDP and TCP) and answer with the route's outcome
 * to("sip-message:10.0.0.7:5060?transport=tcp")       // send to a fixed next hop
 * to("sip-message:request-uri")                       // send to the host:port of the Request-URI
 * from("sip-message:127.0.0.1:5060?tlsPort=5061")      // also TLS on 5061, with the component's tlsConfiguration
 * to("sip-message:10.0.0.7:5061?transport=tls")       // send over TLS (sips: and transport=tls Request-URIs too)
 * </pre>
 *
 * One SIP stack serves every endpoint bound to the same local address; producers send from the node named by
 * {@code localAddress} (endpoint option, else this component's), so that responses and the peer's view of
 * who sent the request match the consumer's listening address.
 */
@Component("sip-message")
public class SipMessageComponent extends DefaultComponent implements HeaderFilterStrategyAware {

    private static final Logger LOG = LoggerFactory.getLogger(SipMessageComponent.class);

    private final Map<String, NodeRef> nodes = new HashMap<>();
    @Metadata(label = "producer", description = "Default host:port producers send from (an endpoint's localAddress "
            + "overrides it); the node there is started on first use. Unset: the only node of this component, else "
            + "a send-only node on 127.0.0.1 and a free port")
    private String localAddress;
    @Metadata(label = "advanced", defaultValue = "8", description = "Threads each SIP stack reads and dispatches with")
    private int threadPoolSize = 8;
    @Metadata(label = "advanced", defaultValue = "jain-sip", enums = "jain-sip,lean", description = "What carries "
            + "UDP: jain-sip (the JAIN-SIP stack, as for TCP and TLS) or lean (each node's own socket, a reader "
            + "thread, handler threads and non-INVITE transactions; the same messages reach the routes)")
    private String udpPath = "jain-sip";
    @Metadata(label = "consumer", defaultValue = "0", description = "Overload control of consumers: requests handed "
            + "to a route and not answered yet, at most; past it a new request gets 503 with Retry-After at once. "
            + "0: no limit")
    private int maxInFlight;
    @Metadata(label = "consumer", defaultValue = "5", description = "Seconds a client refused for overload is asked "
            + "to wait (Retry-After of the 503)")
    private int retryAfterSeconds = 5;
    @Metadata(label = "consumer", defaultValue = "0", description = "Overload control of consumers: how long the "
            + "requests in flight may stay past maxInFlight (up to ten times it) before a new one is refused, so that "
            + "a short pause does not refuse requests the node has the capacity for; none after a refusal in the last "
            + "second. 0: the bound is strict")
    private long overloadBurstMs;
    @Metadata(label = "consumer", defaultValue = "0", description = "Overload control of consumers over TCP and TLS: "
            + "a new request read from a connection that has more than this many KiB received and not yet parsed "
            + "behind it is refused 503 from its head alone, so that the connection's one parsing thread catches up "
            + "instead of answering requests their senders gave up on. 0: never (nor when maxInFlight is 0)")
    private int connectionBacklogKb;
    @Metadata(label = "consumer,security", description = "Screens every new request of consumers by its source "
            + "address before anything is spent on it (bans of sources that failed to authenticate or flood); a "
            + "refused request is answered statelessly with the screen's status. Unset: none")
    private SourceScreen sourceScreen;
    @Metadata(label = "advanced", defaultValue = "2000", description = "Longest a received datagram may wait in a "
            + "stack's receive queue before it is dropped unread, milliseconds: bounds memory under overload")
    private int queueTimeoutMs = SipNode.DEFAULT_QUEUE_TIMEOUT_MS;
    @Metadata(label = "security", description = "Key material, protocols and client-certificate policy of the TLS "
            + "listening points that consumers open with tlsPort (their port replaces this one's), and of the TLS "
            + "connections producers open; unset: no TLS. Its toString hides the passwords")
    private SipTlsConfig tlsConfiguration;
    @Metadata(label = "producer", defaultValue = "32000", description = "How long a producer waits for the next "
            + "hop's final response, milliseconds (RFC 3261 Timer F); then the exchange gets a locally made 408 "
            + "(CamelSipNoAnswer true) and the client transaction ends. An endpoint may set its own")
    private int transactionTimeoutMs = DEFAULT_TRANSACTION_TIMEOUT_MS;
    @Metadata(label = "advanced", description = "Which headers cross between the Exchange and the SIP request, both "
            + "ways, for every endpoint that names none; default: a SipMessageHeaderFilterStrategy (Camel's own "
            + "headers, names that are not SIP tokens, and Via, Content-Length and Record-Route stay off the wire)")
    private HeaderFilterStrategy headerFilterStrategy = new SipMessageHeaderFilterStrategy();
    @Metadata(label = "advanced", description = "Told about every node's traffic (requests received and refused, "
            + "responses sent, transactions under way), for metrics; unset: nobody")
    private SipTrafficListener trafficListener = SipTrafficListener.NONE;
    private Runnable refusal;

    /** RFC 3261 Timer F (64*T1): how long a client transaction waits for a final response by default. */
    public static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 32000;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SipMessageEndpoint endpoint = new SipMessageEndpoint(uri, this, remaining);
        endpoint.setHeaderFilterStrategy(headerFilterStrategy); // the URI's headerFilterStrategy, if any, replaces it
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

    /** What carries UDP: {@code jain-sip} (default) or {@code lean}. */
    public String getUdpPath() {
        return udpPath;
    }

    /** Applies to the nodes started from now on. */
    public void setUdpPath(String udpPath) {
        SipNodeConfig.UdpPath.parse(udpPath); // refuses an unknown value now, naming it
        this.udpPath = udpPath.trim();
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
     * Overload control of consumers: how long the requests in flight may stay past {@link #getMaxInFlight()} (up to
     * ten times it) before a new one is refused; none after a refusal in the last second (see
     * {@link org.cpmrouter.sip.OverloadGuard}). 0 (default): the bound is strict.
     */
    public long getOverloadBurstMs() {
        return overloadBurstMs;
    }

    public void setOverloadBurstMs(long overloadBurstMs) {
        this.overloadBurstMs = overloadBurstMs;
    }

    /**
     * Overload control of consumers over TCP and TLS: the KiB a connection may have received and not parsed behind
     * a new request before that request is refused 503; 0 (default): never (see
     * {@link org.cpmrouter.sip.OverloadGuard}).
     */
    public int getConnectionBacklogKb() {
        return connectionBacklogKb;
    }

    public void setConnectionBacklogKb(int connectionBacklogKb) {
        this.connectionBacklogKb = connectionBacklogKb;
    }

    /** The screen of consumers' new requests by source address; null (default): every source is let in. */
    public SourceScreen getSourceScreen() {
        return sourceScreen;
    }

    public void setSourceScreen(SourceScreen sourceScreen) {
        this.sourceScreen = sourceScreen;
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

    /**
     * Key material, protocols and client-certificate policy of the TLS listening points that consumers open with
     * {@code tlsPort} (their port replaces this one's); null (default): no TLS. Its {@code toString} hides the
     * passwords.
     */
    public SipTlsConfig getTlsConfiguration() {
        return tlsConfiguration;
    }

    public void setTlsConfiguration(SipTlsConfig tlsConfiguration) {
        this.tlsConfiguration = tlsConfiguration;
    }

    /**
     * How long a producer waits for the next hop's final response, milliseconds (default 32000, RFC 3261 Timer F);
     * then the exchange gets a locally made 408 and the client transaction ends. An endpoint may set its own.
     */
    public int getTransactionTimeoutMs() {
        return transactionTimeoutMs;
    }

    public void setTransactionTimeoutMs(int transactionTimeoutMs) {
        if (transactionTimeoutMs < 1) {
            throw new IllegalArgumentException("transactionTimeoutMs must be positive, got " + transactionTimeoutMs);
        }
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    /** Told about every node's traffic, for metrics; {@link SipTrafficListener#NONE} (default): nobody. */
    public SipTrafficListener getTrafficListener() {
        return trafficListener;
    }

    /** Applies to the nodes started from now on: set it before the routes start. */
    public void setTrafficListener(SipTrafficListener trafficListener) {
        this.trafficListener = trafficListener == null ? SipTrafficListener.NONE : trafficListener;
    }

    @Override
    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return headerFilterStrategy;
    }

    @Override
    public void setHeaderFilterStrategy(HeaderFilterStrategy headerFilterStrategy) {
        this.headerFilterStrategy = headerFilterStrategy;
    }

    /** Starts, or shares, the node bound to host:port (port 0: a new node on a free port), without TLS. */
    synchronized SipNode acquireNode(String host, int port, List<String> transports, Set<String> methods)
            throws Exception {
        return acquireNode(host, port, transports, methods, -1);
    }

    /**
     * Starts, or shares, the node bound to host:port; {@code tlsPort} 0 or more adds a TLS listening point there
     * when the component has a {@link #getTlsConfiguration() TLS configuration}.
     */
    synchronized SipNode acquireNode(String host, int port, List<String> transports, Set<String> methods, int tlsPort)
            throws Exception {
        // port 0 always means a new node on a free port, registered under the port it got
        NodeRef ref = port == 0 ? null : nodes.get(host + ":" + port);
        if (ref == null) {
            java.util.Properties stack = new java.util.Properties();
            stack.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", Integer.toString(queueTimeoutMs));
            SipTlsConfig tls = null;
            List<String> all = transports;
            if (tlsPort >= 0 && tlsConfiguration == null) {
                LOG.info("sip-message: no TLS configuration (key store); {}:{} listens without TLS", host, port);
            } else if (tlsPort >= 0) {
                tls = tlsConfiguration.withPort(tlsPort);
                all = new java.util.ArrayList<>(transports);
                all.add("tls");
            }
            SipNodeConfig config = new SipNodeConfig(host, port, all, methods, threadPoolSize, stack, tls,
                    SipNodeConfig.UdpPath.parse(udpPath));
            ref = new NodeRef(SipNode.start(config));
            ref.node.setTrafficListener(trafficListener);
            nodes.put(host + ":" + ref.node.port(), ref);
            if (refusal != null) {
                refusal.run();
            }
        }
        ref.users++;
        return ref.node;
    }

    /**
     * Every node of this component, and any it starts later, answers every new request with this status (503
     * with Retry-After while the application drains before it stops); transactions under way go on.
     */
    public synchronized void refuseNewRequests(int status, String reason, List<String> headers) {
        refusal = () -> nodes.values().forEach(ref -> ref.node.refuseNewRequests(status, reason, headers));
        refusal.run();
    }

    /** Whether new requests get the answer of {@link #refuseNewRequests} (the application drains before it stops). */
    public synchronized boolean refusesNewRequests() {
        return refusal != null;
    }

    /**
     * Whether a node of this component is started on {@code host:port} and listens there on every transport it was
     * configured with (the stack's listening points, checked now).
     */
    public synchronized boolean listensOn(String host, int port) {
        NodeRef ref = nodes.get(host + ":" + port);
        return ref != null && ref.node.isListening();
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
        // a node started for producers can send over TLS when the component has a TLS configuration (it then
        // listens on a free TLS port too: the RI sends only from a listening point of the transport)
        return acquireNode(hp.host(), hp.port(), List.of("udp", "tcp"), Set.of("MESSAGE", "REGISTER"),
                tlsConfiguration != null ? 0 : -1);
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
