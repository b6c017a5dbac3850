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
import org.cpmrouter.sip.camel.SipMessageConstants;
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

    /** alice's message as the core hands it to the recipient's server. */
    private Exchange to(String recipient) {
        return atLeg(Leg.AT_TERMINATING_PARTICIPATING, "alice-to-bob", ALICE, recipient);
    }

    @Test
    void should_send_to_the_core_with_the_terminating_leg_served_when_the_recipient_may_receive() throws Exception {
        MockEndpoint core = answering(CORE, 200);
        core.expectedMessageCount(1);
        core.expectedHeaderReceived(ServedUserMarker.SERVED_LEG, "term");
        core.expectedHeaderReceived(SipMessageConstants.REQUEST_URI, BOB);

        assertPassed(200, List.of("AUTH-190"), Hops.PARTICIPATING_TERMINATING, to(BOB));
    }

    @Test
    void should_refuse_404_when_the_recipient_is_not_a_known_subscriber() throws Exception {
        assertRefused(new SipOutcome(404, "Recipient is not a known subscriber"), List.of("AUTH-110"),
                Hops.PARTICIPATING_TERMINATING, to("sip:nobody@cpm.example.com"), CORE);
    }

    @Test
    void should_refuse_403_when_the_recipient_is_barred() throws Exception {
        assertRefused(new SipOutcome(403, "Recipient is barred"), List.of("AUTH-130"),
                Hops.PARTICIPATING_TERMINATING, to(MALLORY), CORE);
    }
}
