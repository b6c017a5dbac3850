package org.cpmrouter.routes.participating;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.testsupport.RouteTestSupport;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.junit.jupiter.api.Test;

/** The sender's Participating Function: a known, enabled sender goes on to the core marked served; others get 403. */
class ParticipatingFunctionOriginatingRouteTest extends RouteTestSupport {

    private static final String CORE = "mock:sip-ip-core";

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        return List.of(new ParticipatingFunctionOriginatingRoute(policy));
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, ParticipatingFunctionOriginatingRoute.ROUTE_ID,
                route -> route.weaveById("originating-to-sip-ip-core").replace().to(CORE));
    }

    /** alice-to-bob as the core hands it over: the sender's identity asserted, the orig leg to serve. */
    private Exchange handedOverBy(String sender) {
        Exchange exchange = request("alice-to-bob");
        exchange.getMessage().setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + sender + ">");
        ServedUserMarker.handTo(exchange.getMessage(), sender, true);
        return exchange;
    }

    @Test
    void should_send_to_the_core_with_the_originating_leg_served_when_the_sender_is_a_known_subscriber()
            throws Exception {
        MockEndpoint core = answering(CORE, 200);
        core.expectedMessageCount(1);
        core.expectedHeaderReceived(ServedUserMarker.SERVED_LEG, "orig");
        core.expectedHeaderReceived(CpmHeaders.P_ASSERTED_IDENTITY, "<" + ALICE + ">");

        Exchange done = send(Hops.PARTICIPATING_ORIGINATING, handedOverBy(ALICE));

        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        assertEquals(200, outcome(done).status());
        assertEquals(List.of("AUTH-090"), firedRules(done));
    }

    @Test
    void should_refuse_403_when_the_sender_is_barred() throws Exception {
        MockEndpoint core = getMockEndpoint(CORE);
        core.expectedMessageCount(0);

        Exchange done = send(Hops.PARTICIPATING_ORIGINATING, handedOverBy(MALLORY));

        assertEquals(new SipOutcome(403, "Sender is barred"), outcome(done));
        assertEquals(List.of("AUTH-030"), firedRules(done));
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }

    @Test
    void should_refuse_403_when_the_sender_is_not_a_known_subscriber() throws Exception {
        MockEndpoint core = getMockEndpoint(CORE);
        core.expectedMessageCount(0);

        Exchange done = send(Hops.PARTICIPATING_ORIGINATING, handedOverBy("sip:eve@cpm.example.com"));

        assertEquals(new SipOutcome(403, "Sender is not a known subscriber"), outcome(done));
        assertEquals(List.of("AUTH-010"), firedRules(done));
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }
}
