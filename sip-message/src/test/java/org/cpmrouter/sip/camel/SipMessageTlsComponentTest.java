package org.cpmrouter.sip.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cpmrouter.sip.SipTlsConfig;
import org.cpmrouter.sip.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component's TLS: a consumer with {@code tlsPort} listens on TLS too, and producers send over TLS to
 * {@code sips:} Request-URIs, to {@code transport=tls} ones and to a fixed next hop with {@code transport=tls}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipMessageTlsComponentTest {

    @TempDir
    static Path dir;

    private CamelContext context;
    private int tlsPort;
    private final BlockingQueue<String> transports = new LinkedBlockingQueue<>();

    @BeforeAll
    void start() throws Exception {
        TestCertificates.Identity node = TestCertificates.create(dir, "node");
        context = new DefaultCamelContext();
        context.getComponent("sip-message", SipMessageComponent.class)
                .setTlsConfiguration(SipTlsConfig.server(node.keyStore(), TestCertificates.PASSWORD));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("sip-message:127.0.0.1:0?transports=udp&tlsPort=0").routeId("server")
                        .process(e -> transports.add(e.getMessage().getHeader(SipMessageConstants.TRANSPORT, String.class)))
                        .setHeader(SipMessageConstants.STATUS_CODE, constant(202));
            }
        });
        context.start();
        tlsPort = ((SipMessageConsumer) context.getRoute("server").getConsumer()).node().tlsPort();
    }

    @AfterAll
    void stop() {
        context.stop();
    }

    private Exchange send(String endpoint, String requestUri) {
        return context.createProducerTemplate().request(endpoint, e -> {
            e.getMessage().setHeader(SipMessageConstants.REQUEST_URI, requestUri);
            e.getMessage().setHeader("From", "<sip:alice@cpm.example.com>");
            e.getMessage().setHeader("Content-Type", "text/plain");
            e.getMessage().setBody("over TLS");
        });
    }

    @Test
    void should_send_over_tls_to_a_sips_request_uri() throws Exception {
        Exchange result = send("sip-message:request-uri?localAddress=127.0.0.1:0", "sips:bob@127.0.0.1:" + tlsPort);
        assertEquals(202, result.getMessage().getHeader(SipMessageConstants.STATUS_CODE), String.valueOf(result.getException()));
        assertEquals("tls", transports.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void should_send_over_tls_to_a_request_uri_with_transport_tls() throws Exception {
        Exchange result = send("sip-message:request-uri?localAddress=127.0.0.1:0",
                "sip:bob@127.0.0.1:" + tlsPort + ";transport=tls");
        assertEquals(202, result.getMessage().getHeader(SipMessageConstants.STATUS_CODE), String.valueOf(result.getException()));
        assertEquals("tls", transports.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void should_send_over_tls_to_a_fixed_next_hop_with_transport_tls() throws Exception {
        Exchange result = send("sip-message:127.0.0.1:" + tlsPort + "?transport=tls&localAddress=127.0.0.1:0",
                "sip:bob@cpm.example.com");
        assertEquals(202, result.getMessage().getHeader(SipMessageConstants.STATUS_CODE), String.valueOf(result.getException()));
        assertEquals("tls", transports.poll(10, TimeUnit.SECONDS));
    }
}
