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
        category = {Category.NETWORKING})
public class SipMessageEndpoint extends DefaultEndpoint {

    /** The path value that makes a producer send to each request's Request-URI. */
    public static final String REQUEST_URI_TARGET = "request-uri";

    @UriPath(description = "host:port to listen on (consumer) or send to (producer), or request-uri")
    private final String address;
    @UriParam(defaultValue = "udp,tcp", description = "Transports the consumer listens on")
    private String transports = "udp,tcp";
    @UriParam(defaultValue = "MESSAGE,REGISTER", description = "Methods the consumer hands to the route")
    private String methods = "MESSAGE,REGISTER";
    @UriParam(defaultValue = "udp", description = "Transport the producer uses towards a host:port next hop")
    private String transport = "udp";
    @UriParam(defaultValue = "200", description = "Status the consumer answers when the route completed without "
            + "setting CamelSipStatusCode; a relay that must always set one uses 500 here, to fail closed")
    private int defaultStatus = 200;
    @UriParam(description = "host:port of the local node the producer sends from (default: the component's)")
    private String localAddress;
    @UriParam(defaultValue = "-1", description = "Port of a TLS listening point the consumer opens next to its "
            + "transports, with the component's tlsConfiguration (none configured: no TLS); -1: none, 0: a free port")
    private int tlsPort = -1;
    @UriParam(description = "Milliseconds the producer waits for a final response before it completes the exchange "
            + "with a locally made 408 and ends the client transaction (default: the component's, 32000)")
    private int transactionTimeoutMs;

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
}
