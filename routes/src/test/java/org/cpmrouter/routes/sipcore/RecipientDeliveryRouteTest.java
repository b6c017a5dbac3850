package org.cpmrouter.routes.sipcore;

import static org.junit.jupiter.api.Assertions.assertNull;

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
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.junit.jupiter.api.Test;

/** The core serving the recipient: a registered recipient's client gets the message, an unregistered one is 480. */
class RecipientDeliveryRouteTest extends RouteTestSupport {

    /** The recipient's client, behind the {@code sip-message:request-uri} producer. */
    private static final String CLIENT = "mock:recipient-client";

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        return List.of(new RecipientDeliveryRoute(policy, stores.registrations()));
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, RecipientDeliveryRoute.ROUTE_ID,
                route -> route.weaveById("to-recipient-client").replace().to(CLIENT));
    }

    /** alice's message after the recipient's terminating leg. */
    private Exchange servedFor(String recipient) {
        return atLeg(Leg.TERMINATING_DONE, "alice-to-bob", ALICE, recipient);
    }

    @Test
    void should_send_to_the_registered_contact_without_the_leg_marker_when_the_recipient_is_registered()
            throws Exception {
        MockEndpoint client = answering(CLIENT, 200);
        client.expectedMessageCount(1);
        client.expectedHeaderReceived(SipMessageConstants.REQUEST_URI, BOB_CONTACT);

        assertPassed(200, List.of("DELIVER-010"), Hops.RECIPIENT_DELIVERY, servedFor(BOB));

        var received = client.getReceivedExchanges().get(0).getMessage();
        assertNull(received.getHeader(CpmHeaders.P_SERVED_USER));
        assertNull(received.getHeader(ServedUserMarker.SERVED_LEG));
    }

    @Test
    void should_refuse_480_when_the_recipient_has_no_registered_client() throws Exception {
        assertRefused(new SipOutcome(480, "Temporarily Unavailable: recipient not registered"),
                List.of("DELIVER-020"), Hops.RECIPIENT_DELIVERY, servedFor(CAROL), CLIENT);
    }
}
