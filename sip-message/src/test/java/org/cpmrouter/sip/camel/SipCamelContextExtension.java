package org.cpmrouter.sip.camel;

import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A started Camel context with the sip-message component, for tests that exchange real SIP over 127.0.0.1: it adds
 * consumers on free ports (and tells which port each got) and sends MESSAGE requests through a producer. As a JUnit
 * extension ({@code @RegisterExtension static}) it starts before the class's {@code @BeforeAll} methods and stops
 * after its tests; {@link #started()} gives one for a single test, closed with try-with-resources.
 */
public final class SipCamelContextExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** The sender every request of {@link #request} comes from. */
    public static final String FROM = "<sip:alice@cpm.example.com>";

    private final String udpPath;
    private CamelContext context;

    /** Consumers and producers on the component's default UDP path (the JAIN-SIP stack). */
    public SipCamelContextExtension() {
        this("jain-sip");
    }

    /** @param udpPath the component's {@code udpPath}: {@code jain-sip} or {@code lean} */
    public SipCamelContextExtension(String udpPath) {
        this.udpPath = udpPath;
    }

    /** A context started now, outside the extension lifecycle. */
    public static SipCamelContextExtension started() {
        SipCamelContextExtension fixture = new SipCamelContextExtension();
        fixture.start();
        return fixture;
    }

    @Override
    public void beforeAll(ExtensionContext extension) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        close();
    }

    private void start() {
        context = new DefaultCamelContext();
        context.getComponent("sip-message", SipMessageComponent.class).setUdpPath(udpPath);
        context.start();
    }

    @Override
    public void close() {
        context.stop();
    }

    public CamelContext context() {
        return context;
    }

    /** Adds routes as they are. */
    public void routes(RoutesBuilder routes) throws Exception {
        context.addRoutes(routes);
    }

    /**
     * Adds a route from a sip-message consumer on 127.0.0.1 and a free port.
     *
     * @param options the consumer's URI options, such as {@code transports=udp}
     * @param steps   what the route does with each request
     * @return the port the consumer listens on
     */
    public int consumer(String routeId, String options, Consumer<RouteDefinition> steps) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                steps.accept(from("sip-message:127.0.0.1:0?" + options).routeId(routeId));
            }
        });
        return ((SipMessageConsumer) context.getRoute(routeId).getConsumer()).node().port();
    }

    /**
     * Sends a MESSAGE to {@code requestUri} through the producer of {@code endpointUri}, from a node of its own on a
     * free port ({@code localAddress=127.0.0.1:0}), and returns the completed exchange. It comes {@link #FROM}
     * and, when {@code body} is not null, carries it as {@code text/plain}; {@code edits} come last.
     */
    public Exchange request(String endpointUri, String requestUri, String body, Consumer<Message> edits) {
        String uri = endpointUri + (endpointUri.contains("?") ? "&" : "?") + "localAddress=127.0.0.1:0";
        return context.createProducerTemplate().request(uri, e -> {
            e.getMessage().setHeader(SipMessageConstants.REQUEST_URI, requestUri);
            e.getMessage().setHeader("From", FROM);
            if (body != null) {
                e.getMessage().setHeader("Content-Type", "text/plain");
                e.getMessage().setBody(body);
            }
            edits.accept(e.getMessage());
        });
    }

    /** As {@link #request(String, String, String, Consumer)} without edits. */
    public Exchange request(String endpointUri, String requestUri, String body) {
        return request(endpointUri, requestUri, body, m -> { });
    }
}
