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
import org.cpmrouter.routes.auth.CoreAuthentication;
import org.cpmrouter.routes.auth.DigestAuthSettings;
import org.cpmrouter.routes.auth.TrustedPeers;
import org.cpmrouter.routes.testsupport.RouteTestSupport;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.junit.jupiter.api.Test;

/**
 * The SIP ingress with the shipped settings (digest authentication on): a trusted peer's MESSAGE goes to the core
 * and its REGISTER to the registrar; a client without credentials is challenged (401) after its trust-only headers
 * are removed; the pager-mode limits refuse a body too large (413) or of a type not carried (415).
 */
class SipIngressRouteTest extends RouteTestSupport {

    private static final String INGRESS = "direct:sip-ingress";
    private static final String CORE = "mock:sip-ip-core";
    private static final String REGISTRAR = "mock:registrar";
    private static final String CLIENT_ADDRESS = "192.0.2.10";

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        TrustedPeers trustedPeers = new TrustedPeers(config.getList("cpm.sip.trusted-peers"));
        CoreAuthentication authentication = CoreAuthentication.from(DigestAuthSettings.from(config),
                stores.subscribers(), addresses, trustedPeers);
        MessageLimits limits = new MessageLimits(config.getInt("cpm.limits.max-body-bytes"),
                config.getList("cpm.limits.content-types"));
        return List.of(new SipIngressRoute(trustedPeers, limits, authentication.ingressStep()));
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

        Exchange done = send(INGRESS, receivedFrom(TRUSTED_PEER));

        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        assertEquals(200, outcome(done).status());
    }

    @Test
    void should_send_a_register_to_the_registrar_when_a_trusted_peer_sends_it() throws Exception {
        answering(REGISTRAR, 200).expectedMessageCount(1);
        getMockEndpoint(CORE).expectedMessageCount(0);
        Exchange register = receivedFrom(TRUSTED_PEER);
        register.getMessage().setHeader(SipMessageConstants.METHOD, "REGISTER");

        Exchange done = send(INGRESS, register);

        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        assertEquals(200, outcome(done).status());
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
        getMockEndpoint(CORE).expectedMessageCount(0);
        Exchange large = receivedFrom(TRUSTED_PEER);
        large.getMessage().setBody("x".repeat(config.getInt("cpm.limits.max-body-bytes") + 1)
                .getBytes(StandardCharsets.UTF_8));

        Exchange done = send(INGRESS, large);

        assertEquals(413, outcome(done).status());
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }

    @Test
    void should_refuse_415_when_the_content_type_is_not_carried() throws Exception {
        getMockEndpoint(CORE).expectedMessageCount(0);
        Exchange plain = receivedFrom(TRUSTED_PEER);
        plain.getMessage().setHeader("Content-Type", "text/plain");

        Exchange done = send(INGRESS, plain);

        assertEquals(415, outcome(done).status());
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }
}
