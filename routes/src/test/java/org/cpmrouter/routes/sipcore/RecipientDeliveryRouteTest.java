package org.cpmrouter.routes.sipcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * The core serving the recipient: a registered recipient's client gets the message; for one without a client that
 * takes it now, the message is held (202), and a refusal for good goes back to the sender.
 */
class RecipientDeliveryRouteTest extends RouteTestSupport {

    /** The recipient's client, behind the {@code sip-message:request-uri} producer. */
    private static final String CLIENT = "mock:recipient-client";

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        return List.of(recipientDeliveryRoute());
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, RecipientDeliveryRoute.DEVICE_ROUTE_ID,
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
    void should_hold_the_message_and_answer_202_when_the_recipient_has_no_registered_client() throws Exception {
        MockEndpoint client = getMockEndpoint(CLIENT);
        client.expectedMessageCount(0);

        assertPassed(202, List.of("DELIVER-020"), Hops.RECIPIENT_DELIVERY, servedFor(CAROL));

        client.assertIsSatisfied();
        assertEquals(1, stores.deferred().summary(CAROL).count());
    }

    @Test
    void should_hold_the_message_when_the_only_device_does_not_answer() throws Exception {
        answering(CLIENT, 480);

        assertPassed(202, List.of("DELIVER-010", "DELIVER-020"), Hops.RECIPIENT_DELIVERY, servedFor(BOB));

        assertEquals(1, stores.deferred().summary(BOB).count());
    }

    @Test
    void should_relay_a_refusal_for_good_and_hold_nothing() throws Exception {
        answering(CLIENT, 415);

        assertPassed(415, List.of("DELIVER-010"), Hops.RECIPIENT_DELIVERY, servedFor(BOB));

        assertEquals(0, stores.deferred().summary(BOB).count());
    }
}
