package org.cpmrouter.routes.sipcore;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/** The core serving the recipient: a registered recipient's client gets the message, an unregistered one is 480. */
class RecipientDeliveryRouteTest extends RouteTestSupport {

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
        Exchange exchange = request("alice-to-bob");
        var message = exchange.getMessage();
        message.setHeader(SipMessageConstants.REQUEST_URI, recipient);
        message.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + ALICE + ">");
        ServedUserMarker.handTo(message, recipient, false);
        ServedUserMarker.markServed(message);
        return exchange;
    }

    @Test
    void should_send_to_the_registered_contact_without_the_leg_marker_when_the_recipient_is_registered()
            throws Exception {
        MockEndpoint client = answering(CLIENT, 200);
        client.expectedMessageCount(1);
        client.expectedHeaderReceived(SipMessageConstants.REQUEST_URI, BOB_CONTACT);

        Exchange done = send(Hops.RECIPIENT_DELIVERY, servedFor(BOB));

        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        var received = client.getReceivedExchanges().get(0).getMessage();
        assertNull(received.getHeader(CpmHeaders.P_SERVED_USER));
        assertNull(received.getHeader(ServedUserMarker.SERVED_LEG));
        assertEquals(200, outcome(done).status());
        assertEquals(List.of("DELIVER-010"), firedRules(done));
    }

    @Test
    void should_refuse_480_when_the_recipient_has_no_registered_client() throws Exception {
        getMockEndpoint(CLIENT).expectedMessageCount(0);

        Exchange done = send(Hops.RECIPIENT_DELIVERY, servedFor(CAROL));

        assertEquals(new SipOutcome(480, "Temporarily Unavailable: recipient not registered"), outcome(done));
        assertEquals(List.of("DELIVER-020"), firedRules(done));
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }
}
