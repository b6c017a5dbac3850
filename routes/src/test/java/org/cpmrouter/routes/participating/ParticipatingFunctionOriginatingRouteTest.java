package org.cpmrouter.routes.participating;


import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.Leg;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
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

    /** alice-to-bob as the core hands it to the sender's server. */
    private Exchange from(String sender) {
        return atLeg(Leg.AT_ORIGINATING_PARTICIPATING, "alice-to-bob", sender, BOB);
    }

    @Test
    void should_send_to_the_core_with_the_originating_leg_served_when_the_sender_is_a_known_subscriber()
            throws Exception {
        MockEndpoint core = answering(CORE, 200);
        core.expectedMessageCount(1);
        core.expectedHeaderReceived(ServedUserMarker.SERVED_LEG, "orig");
        core.expectedHeaderReceived(CpmHeaders.P_ASSERTED_IDENTITY, "<" + ALICE + ">");

        assertPassed(200, List.of("AUTH-090"), Hops.PARTICIPATING_ORIGINATING, from(ALICE));
    }

    @Test
    void should_refuse_403_when_the_sender_is_barred() throws Exception {
        assertRefused(new SipOutcome(403, "Sender is barred"), List.of("AUTH-030"),
                Hops.PARTICIPATING_ORIGINATING, from(MALLORY), CORE);
    }

    @Test
    void should_refuse_403_when_the_sender_is_not_a_known_subscriber() throws Exception {
        assertRefused(new SipOutcome(403, "Sender is not a known subscriber"), List.of("AUTH-010"),
                Hops.PARTICIPATING_ORIGINATING, from("sip:eve@cpm.example.com"), CORE);
    }
}
