package org.cpmrouter.sip.camel;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategyAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code sip-message:host:port} or {@code sip-message:request-uri}. As a consumer it listens on host:port; as a
 * producer it sends to host:port (a fixed next hop such as another router node) or, for {@code request-uri}, to
 * the host, port and transport of each request's Request-URI (a registered contact): {@code sips:} and
 * {@code transport=tls} go over TLS, to port 5061 when the URI names none.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "sip-message", title = "SIP MESSAGE", syntax = "sip-message:address",
        category = {Category.NETWORKING}, headersClass = SipMessageConstants.class)
public class SipMessageEndpoint extends DefaultEndpoint implements HeaderFilterStrategyAware {

    /** The path value that makes a producer send to each request's Request-URI. */
    public static final String REQUEST_URI_TARGET = "request-uri";

    @UriPath(description = "Consumer: the host:port it listens on (port 0: a free port). Producer: the host:port of "
            + "a fixed next hop, or request-uri to send each request to the host, port and transport of its "
            + "Request-URI (CamelSipRequestUri)")
    @Metadata(required = true)
    private final String address;
    @UriParam(label = "consumer", defaultValue = "udp,tcp", description = "Consumer only: the transports the consumer "
            + "LISTENS on at host:port, a comma list of udp and tcp (TLS listens on tlsPort). Not the producer's "
            + "transport option, which is the single transport a request is SENT over")
    private String transports = "udp,tcp";
    @UriParam(label = "consumer", defaultValue = "MESSAGE,REGISTER", description = "Consumer only: the methods handed "
            + "to the route, a comma list; OPTIONS is answered by the node itself, any other method gets 405")
    private String methods = "MESSAGE,REGISTER";
    @UriParam(label = "producer", defaultValue = "udp", enums = "udp,tcp,tls", description = "Producer only: the one "
            + "transport a request is SENT over to a host:port next hop (for request-uri, when the Request-URI names "
            + "none and is not sips:). Not the consumer's transports option, which lists what it listens on")
    private String transport = "udp";
    @UriParam(label = "consumer", defaultValue = "200", description = "Consumer only: the status answered when the "
            + "route completed without setting CamelSipStatusCode; a relay that must always set one uses 500 here, to "
            + "fail closed")
    private int defaultStatus = 200;
    @UriParam(label = "producer", description = "Producer only: host:port of the local node the producer sends from "
            + "(its consumer's address, so that the peer's view of the sender matches); default: the component's "
            + "localAddress")
    private String localAddress;
    @UriParam(label = "consumer,security", defaultValue = "-1", description = "Consumer only: port of a TLS listening "
            + "point opened next to the consumer's transports, with the component's tlsConfiguration (none "
            + "configured: no TLS); -1: none, 0: a free port")
    private int tlsPort = -1;
    @UriParam(label = "producer", description = "Producer only: milliseconds the producer waits for a final response "
            + "before it completes the exchange with a locally made 408 (CamelSipNoAnswer true) and ends the client "
            + "transaction; 0 (unset): the component's transactionTimeoutMs, 32000 by default")
    private int transactionTimeoutMs;
    @UriParam(label = "advanced", description = "Which headers cross between the Exchange and the SIP request, both "
            + "ways; default: the component's, a SipMessageHeaderFilterStrategy (Camel's own headers, names that are "
            + "not SIP tokens, and Via, Content-Length and Record-Route stay off the wire)")
    private HeaderFilterStrategy headerFilterStrategy;

    public SipMessageEndpoint(String uri, SipMessageComponent component, String address) {
        super(uri, component);
        this.address = address;
    }

    @Override
    public SipMessageComponent getComponent() {
        return (SipMessageComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new SipMessageProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (isRequestUriTarget()) {
            throw new IllegalArgumentException("sip-message:request-uri can only send; a consumer needs host:port");
        }
        SipMessageConsumer consumer = new SipMessageConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public boolean isRequestUriTarget() {
        return REQUEST_URI_TARGET.equalsIgnoreCase(address);
    }

    public HostPort hostPort() {
        return HostPort.parse(address, 5060);
    }

    public String getAddress() {
        return address;
    }

    public String getTransports() {
        return transports;
    }

    public void setTransports(String transports) {
        this.transports = transports;
    }

    List<String> transportList() {
        return Arrays.stream(transports.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String getMethods() {
        return methods;
    }

    public void setMethods(String methods) {
        this.methods = methods;
    }

    Set<String> methodSet() {
        return Arrays.stream(methods.split(",")).map(s -> s.trim().toUpperCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public int getDefaultStatus() {
        return defaultStatus;
    }

    public void setDefaultStatus(int defaultStatus) {
        this.defaultStatus = defaultStatus;
    }

    public String getTransport() {
        return transport;
    }

    public void setTransport(String transport) {
        this.transport = transport.toLowerCase(Locale.ROOT);
    }

    public String getLocalAddress() {
        return localAddress;
    }

    public int getTlsPort() {
        return tlsPort;
    }

    public void setTlsPort(int tlsPort) {
        this.tlsPort = tlsPort;
    }

    /** This endpoint's transaction timeout, or 0 for the component's. */
    public int getTransactionTimeoutMs() {
        return transactionTimeoutMs;
    }

    public void setTransactionTimeoutMs(int transactionTimeoutMs) {
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    /** The transaction timeout that applies: this endpoint's, else the component's. */
    int effectiveTransactionTimeoutMs() {
        return transactionTimeoutMs > 0 ? transactionTimeoutMs : getComponent().getTransactionTimeoutMs();
    }

    public void setLocalAddress(String localAddress) {
        this.localAddress = localAddress;
    }

    @Override
    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return headerFilterStrategy;
    }

    @Override
    public void setHeaderFilterStrategy(HeaderFilterStrategy headerFilterStrategy) {
        this.headerFilterStrategy = headerFilterStrategy;
    }
}
