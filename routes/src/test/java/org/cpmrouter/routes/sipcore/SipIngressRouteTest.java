package org.cpmrouter.routes.sipcore;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.testsupport.RouteTestSupport;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.junit.jupiter.api.Test;

/**
 * The SIP ingress with the shipped settings (digest authentication on): a trusted peer's MESSAGE goes to the core
 * and its REGISTER to the registrar; a client without credentials is challenged (401) after its trust-only headers
 * are removed; the pager-mode limits refuse a body too large (413) or of a type not carried (415 with Accept), and
 * carry plain text and delivery receipts, as plain SIP clients send them, unchanged.
 */
class SipIngressRouteTest extends RouteTestSupport {

    private static final String INGRESS = "direct:sip-ingress";
    private static final String CORE = "mock:sip-ip-core";
    private static final String REGISTRAR = "mock:registrar";
    private static final String CLIENT_ADDRESS = "192.0.2.10";

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        return List.of(sipIngressRoute());
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, SipIngressRoute.ROUTE_ID, route -> {
            route.replaceFromWith(INGRESS);
            route.weaveById("ingress-to-sip-ip-core").replace().to(CORE);
            route.weaveById("to-registrar").replace().to(REGISTRAR);
        });
    }

    /** alice-to-bob as received from an address, with the identity a peer asserts. */
    private Exchange receivedFrom(String address) {
        Exchange exchange = request("alice-to-bob");
        exchange.getMessage().setHeader(SipMessageConstants.REMOTE_ADDRESS, address);
        exchange.getMessage().setHeader(SipMessageConstants.REMOTE_PORT, 5060);
        exchange.getMessage().setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + ALICE + ">");
        return exchange;
    }

    @Test
    void should_send_a_message_to_the_core_with_its_asserted_identity_when_a_trusted_peer_sends_it()
            throws Exception {
        MockEndpoint core = answering(CORE, 200);
        core.expectedMessageCount(1);
        core.expectedHeaderReceived(CpmHeaders.P_ASSERTED_IDENTITY, "<" + ALICE + ">");
        getMockEndpoint(REGISTRAR).expectedMessageCount(0);

        assertPassed(200, List.of(), INGRESS, receivedFrom(TRUSTED_PEER));
    }

    @Test
    void should_send_a_register_to_the_registrar_when_a_trusted_peer_sends_it() throws Exception {
        answering(REGISTRAR, 200).expectedMessageCount(1);
        getMockEndpoint(CORE).expectedMessageCount(0);
        Exchange register = receivedFrom(TRUSTED_PEER);
        register.getMessage().setHeader(SipMessageConstants.METHOD, "REGISTER");

        assertPassed(200, List.of(), INGRESS, register);
    }

    @Test
    void should_challenge_401_without_the_trust_only_headers_when_a_client_sends_no_credentials()
            throws Exception {
        getMockEndpoint(CORE).expectedMessageCount(0);

        Exchange done = send(INGRESS, receivedFrom(CLIENT_ADDRESS));

        assertEquals(401, outcome(done).status());
        assertNull(done.getMessage().getHeader(CpmHeaders.P_ASSERTED_IDENTITY));
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }

    @Test
    void should_refuse_413_when_the_body_is_larger_than_a_pager_mode_message() throws Exception {
        int maxBodyBytes = config.getInt("cpm.limits.max-body-bytes");
        Exchange large = receivedFrom(TRUSTED_PEER);
        large.getMessage().setBody("x".repeat(maxBodyBytes + 1).getBytes(StandardCharsets.UTF_8));

        assertRefused(new SipOutcome(413, "Request Entity Too Large (pager mode: at most " + maxBodyBytes + " bytes)"),
                List.of(), INGRESS, large, CORE);
    }

    @Test
    void should_refuse_415_with_accept_listing_the_carried_types_when_the_content_type_is_not_carried()
            throws Exception {
        getMockEndpoint(CORE).expectedMessageCount(0);
        Exchange binary = receivedFrom(TRUSTED_PEER);
        binary.getMessage().setHeader("Content-Type", "application/octet-stream");

        Exchange done = send(INGRESS, binary);

        assertEquals(new SipOutcome(415, "Unsupported Media Type"), outcome(done));
        Throwable failure = done.getException() != null ? done.getException()
                : done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SipResponseException refusal = SipResponseException.in(failure).orElseThrow();
        assertEquals(List.of("Accept: message/cpim, text/plain, message/imdn+xml"), refusal.headers());
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }

    @Test
    void should_send_a_plain_text_message_to_the_core_unchanged_by_default() throws Exception {
        assertCarriedUnchanged("text/plain;charset=UTF-8", "hello from baresip");
    }

    @Test
    void should_send_a_delivery_receipt_to_the_core_unchanged_by_default() throws Exception {
        assertCarriedUnchanged("message/imdn+xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>m1</message-id>"
                + "<delivery-notification><status><delivered/></status></delivery-notification></imdn>");
    }

    private void assertCarriedUnchanged(String contentType, String body) throws Exception {
        MockEndpoint core = answering(CORE, 200);
        core.expectedMessageCount(1);
        core.expectedHeaderReceived("Content-Type", contentType);
        core.expectedBodiesReceived(body);
        Exchange request = receivedFrom(TRUSTED_PEER);
        request.getMessage().setHeader("Content-Type", contentType);
        request.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));

        assertPassed(200, List.of(), INGRESS, request);
    }
}
