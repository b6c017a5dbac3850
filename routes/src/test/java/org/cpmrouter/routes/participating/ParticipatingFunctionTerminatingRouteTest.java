package org.cpmrouter.routes.participating;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.testsupport.RouteTestSupport;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.junit.jupiter.api.Test;

/** The recipient's Participating Function: a known, enabled recipient's copy goes on to the core marked served. */
class ParticipatingFunctionTerminatingRouteTest extends RouteTestSupport {

    private static final String CORE = "mock:sip-ip-core";

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        return List.of(new ParticipatingFunctionTerminatingRoute(policy));
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, ParticipatingFunctionTerminatingRoute.ROUTE_ID,
                route -> route.weaveById("terminating-to-sip-ip-core").replace().to(CORE));
    }

    /** alice's message as the core hands it to the recipient's server: the term leg to serve. */
    private Exchange handedOverFor(String recipient) {
        Exchange exchange = request("alice-to-bob");
        var message = exchange.getMessage();
        message.setHeader(SipMessageConstants.REQUEST_URI, recipient);
        message.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + ALICE + ">");
        ServedUserMarker.handTo(message, recipient, false);
        return exchange;
    }

    @Test
    void should_send_to_the_core_with_the_terminating_leg_served_when_the_recipient_may_receive() throws Exception {
        MockEndpoint core = answering(CORE, 200);
        core.expectedMessageCount(1);
        core.expectedHeaderReceived(ServedUserMarker.SERVED_LEG, "term");
        core.expectedHeaderReceived(SipMessageConstants.REQUEST_URI, BOB);

        Exchange done = send(Hops.PARTICIPATING_TERMINATING, handedOverFor(BOB));

        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        assertEquals(200, outcome(done).status());
        assertEquals(List.of("AUTH-190"), firedRules(done));
    }

    @Test
    void should_refuse_404_when_the_recipient_is_not_a_known_subscriber() throws Exception {
        getMockEndpoint(CORE).expectedMessageCount(0);

        Exchange done = send(Hops.PARTICIPATING_TERMINATING, handedOverFor("sip:nobody@cpm.example.com"));

        assertEquals(new SipOutcome(404, "Recipient is not a known subscriber"), outcome(done));
        assertEquals(List.of("AUTH-110"), firedRules(done));
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }

    @Test
    void should_refuse_403_when_the_recipient_is_barred() throws Exception {
        getMockEndpoint(CORE).expectedMessageCount(0);

        Exchange done = send(Hops.PARTICIPATING_TERMINATING, handedOverFor(MALLORY));

        assertEquals(new SipOutcome(403, "Recipient is barred"), outcome(done));
        assertEquals(List.of("AUTH-130"), firedRules(done));
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }
}
