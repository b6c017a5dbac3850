package org.cpmrouter.routes.sipcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

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
 * The SIP/IP Core's dispatch: by leg marker (a new request to the sender's server, a served terminating leg to
 * recipient delivery), then by the target's address type (a CPM user, a group, a non-CPM user, or 404), and the
 * 504 for a SIP hop that gave no answer. Here the terminating Participating Function is on another node (a
 * {@code sip-message:} hop), the other roles are in this process.
 */
class SipIpCoreRouteTest extends RouteTestSupport {

    private static final String PARTICIPATING_ORIGINATING = "mock:participating-originating";
    private static final String PARTICIPATING_TERMINATING = "mock:participating-terminating";
    private static final String CONTROLLING_FUNCTION = "mock:controlling-function";
    private static final String INTERWORKING = "mock:interworking-function";
    private static final String RECIPIENT_DELIVERY = "mock:recipient-delivery";

    @Override
    protected Map<String, String> settings() {
        // the core believes the From of a client (no digest here: SipIngressRouteTest covers authentication)
        return Map.of("cpm.auth.enabled", "false",
                Hops.PARTICIPATING_TERMINATING_HOP, "sip-message:pt.cpm.example.com:5060");
    }

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        return List.of(sipIpCoreRoute());
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, SipIpCoreRoute.ROUTE_ID, route -> {
            route.weaveById("to-local-participating-originating").replace().to(PARTICIPATING_ORIGINATING);
            route.weaveById("to-local-participating-terminating").replace().to(PARTICIPATING_TERMINATING);
            route.weaveById("to-recipient-delivery").replace().to(RECIPIENT_DELIVERY);
            route.weaveById("to-participating-originating").replace().to(PARTICIPATING_ORIGINATING);
            route.weaveById("to-participating-terminating").replace().to(PARTICIPATING_TERMINATING);
            route.weaveById("to-controlling-function").replace().to(CONTROLLING_FUNCTION);
            route.weaveById("to-interworking-function").replace().to(INTERWORKING);
        });
    }

    /** alice's message to a target, back from alice's Participating Function (originating leg done). */
    private Exchange originatingLegDoneTo(String target) {
        return atLeg(Leg.ORIGINATING_DONE, "alice-to-bob", ALICE, target);
    }

    @Test
    void should_hand_a_new_request_to_the_senders_participating_function_with_the_identity_asserted()
            throws Exception {
        MockEndpoint originating = answering(PARTICIPATING_ORIGINATING, 200);
        originating.expectedMessageCount(1);
        originating.expectedHeaderReceived(CpmHeaders.P_ASSERTED_IDENTITY, "<" + ALICE + ">");
        originating.expectedHeaderReceived(CpmHeaders.P_SERVED_USER, "<" + ALICE + ">;sescase=orig;regstate=reg");

        assertPassed(200, List.of(), Hops.SIP_IP_CORE, request("alice-to-bob"));
    }

    @Test
    void should_refuse_403_when_the_request_names_no_sender_identity() throws Exception {
        Exchange anonymous = request("alice-to-bob");
        anonymous.getMessage().setHeader("From", "<urn:anonymous>;tag=a1");

        assertRefused(new SipOutcome(403, "Sender Identity Unknown"), List.of(), Hops.SIP_IP_CORE, anonymous,
                PARTICIPATING_ORIGINATING);
    }

    @Test
    void should_relay_to_the_terminating_participating_function_for_the_recipient_when_the_target_is_a_cpm_user()
            throws Exception {
        MockEndpoint terminating = answering(PARTICIPATING_TERMINATING, 200);
        terminating.expectedMessageCount(1);
        terminating.expectedHeaderReceived(CpmHeaders.P_SERVED_USER, "<" + BOB + ">;sescase=term;regstate=reg");

        assertPassed(200, List.of("CLASS-010", "ROUTE-010"), Hops.SIP_IP_CORE, originatingLegDoneTo(BOB));

        assertNull(terminating.getReceivedExchanges().get(0).getMessage().getHeader(ServedUserMarker.SERVED_LEG));
    }

    @Test
    void should_relay_to_the_controlling_function_when_the_target_is_a_predefined_group() throws Exception {
        MockEndpoint controlling = answering(CONTROLLING_FUNCTION, 202);
        controlling.expectedMessageCount(1);
        controlling.expectedHeaderReceived(SipMessageConstants.REQUEST_URI, FAMILY);

        assertPassed(202, List.of("CLASS-020", "ROUTE-020"), Hops.SIP_IP_CORE, originatingLegDoneTo(FAMILY));
    }

    @Test
    void should_relay_to_the_interworking_function_when_the_target_is_a_number_of_no_cpm_user() throws Exception {
        MockEndpoint interworking = answering(INTERWORKING, 202);
        interworking.expectedMessageCount(1);

        assertPassed(202, List.of("CLASS-030", "ROUTE-030"), Hops.SIP_IP_CORE, originatingLegDoneTo(SMS_NUMBER));
    }

    @Test
    void should_refuse_404_when_the_target_is_no_address_the_router_knows() throws Exception {
        assertRefused(new SipOutcome(404, "Target is not a CPM address"), List.of("CLASS-090", "ROUTE-090"),
                Hops.SIP_IP_CORE, originatingLegDoneTo("sip:nobody@elsewhere.example.org"),
                PARTICIPATING_TERMINATING, CONTROLLING_FUNCTION, INTERWORKING);
    }

    @Test
    void should_answer_504_when_the_sip_hop_to_the_terminating_participating_function_gives_no_answer()
            throws Exception {
        getMockEndpoint(PARTICIPATING_TERMINATING).whenAnyExchangeReceived(RelayTimeoutAnswers::noAnswer);

        Exchange done = send(Hops.SIP_IP_CORE, originatingLegDoneTo(BOB));

        assertEquals(new SipOutcome(504, "Server Time-out"), outcome(done));
    }

    @Test
    void should_pass_a_408_unchanged_when_the_hop_that_gave_no_answer_is_in_this_process() throws Exception {
        getMockEndpoint(CONTROLLING_FUNCTION).whenAnyExchangeReceived(RelayTimeoutAnswers::noAnswer);

        Exchange done = send(Hops.SIP_IP_CORE, originatingLegDoneTo(FAMILY));

        assertEquals(408, outcome(done).status());
    }

    @Test
    void should_send_to_recipient_delivery_when_the_terminating_leg_is_served() throws Exception {
        MockEndpoint delivery = answering(RECIPIENT_DELIVERY, 200);
        delivery.expectedMessageCount(1);
        assertPassed(200, List.of(), Hops.SIP_IP_CORE, atLeg(Leg.TERMINATING_DONE, "alice-to-bob", ALICE, BOB));
    }

    /** What the sip-message producer leaves on the exchange when the next hop sent no final response in time. */
    private static final class RelayTimeoutAnswers {
        static void noAnswer(Exchange exchange) {
            exchange.getMessage().setHeader(SipMessageConstants.STATUS_CODE, 408);
            exchange.getMessage().setHeader(SipMessageConstants.REASON_PHRASE, "Request Timeout");
            exchange.getMessage().setHeader(SipMessageConstants.NO_ANSWER, true);
        }
    }
}
