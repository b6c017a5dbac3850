package org.cpmrouter.routes.controlling;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.awaitility.Awaitility;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.Leg;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.testsupport.RouteTestSupport;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.junit.jupiter.api.Test;

/**
 * The Controlling Function of the demo group (alice, bob, carol; members only): a member's message is answered 202
 * at once and one copy per other member goes into the core asynchronously (awaited with NotifyBuilder); a
 * non-member gets 403, an unknown group 404, and nothing is sent.
 */
class ControllingFunctionRouteTest extends RouteTestSupport {

    /** The core's endpoint, where the fan-out sends each copy: here a route that only hands it to a mock. */
    private static final String CORE_STUB_ROUTE_ID = "sip-ip-core-stub";
    private static final String CORE = "mock:sip-ip-core";

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        return List.of(new ControllingFunctionRoute(policy, addresses, stores.pendingFanOuts(), stores.groups(),
                        reports, metrics),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(Hops.SIP_IP_CORE).routeId(CORE_STUB_ROUTE_ID).to("log:core-stub").id("core-stub-log");
                    }
                });
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, CORE_STUB_ROUTE_ID,
                route -> route.weaveById("core-stub-log").replace().to(CORE));
    }

    /** alice's message to a group as the core relays it (sender asserted, originating leg done). */
    private Exchange relayedTo(String group, String sender) {
        Exchange exchange = atLeg(Leg.ORIGINATING_DONE, "alice-to-family", sender, group);
        exchange.getMessage().setHeader(CpmHeaders.CONVERSATION_ID, "conversation-1");
        return exchange;
    }

    @Test
    void should_accept_202_then_send_one_copy_to_each_other_member_when_a_member_sends() throws Exception {
        MockEndpoint core = answering(CORE, 200);
        core.expectedMessageCount(2);
        core.expectedHeaderValuesReceivedInAnyOrder(SipMessageConstants.REQUEST_URI, BOB, CAROL);
        core.expectedHeaderReceived("From", "\"Family\" <" + FAMILY + ">");
        core.expectedHeaderReceived(CpmHeaders.P_ASSERTED_IDENTITY, "<" + FAMILY + ">");
        core.expectedHeaderReceived(CpmHeaders.REFERRED_BY, "<" + ALICE + ">");
        core.expectedHeaderReceived(ServedUserMarker.SERVED_LEG, "orig");
        NotifyBuilder copiesDone = new NotifyBuilder(context).fromRoute(CORE_STUB_ROUTE_ID).whenDone(2).create();

        Exchange done = send(Hops.CONTROLLING_FUNCTION, relayedTo(FAMILY, ALICE));

        assertEquals(new SipOutcome(202, "Accepted"), outcome(done));
        assertEquals(List.of(CpmHeaders.CONVERSATION_ID + ": conversation-1"),
                done.getMessage().getHeader(SipMessageConstants.RESPONSE_HEADERS, List.class));
        assertEquals(List.of("GROUP-081"), firedRules(done));
        assertTrue(copiesDone.matches(5, SECONDS), "the fan-out sent both copies");
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        // the accepted message's journal record goes once every member has answered
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stores.pendingFanOuts().all().isEmpty());
    }

    @Test
    void should_send_members_a_plain_text_body_unchanged_when_a_plain_client_sends() throws Exception {
        MockEndpoint core = answering(CORE, 200);
        core.expectedMessageCount(2);
        core.expectedHeaderReceived("Content-Type", "text/plain;charset=UTF-8");
        core.expectedBodiesReceived("Ünïcode ✓ to the family", "Ünïcode ✓ to the family");
        NotifyBuilder copiesDone = new NotifyBuilder(context).fromRoute(CORE_STUB_ROUTE_ID).whenDone(2).create();
        Exchange plain = relayedTo(FAMILY, ALICE);
        plain.getMessage().setHeader("Content-Type", "text/plain;charset=UTF-8");
        plain.getMessage().setBody("Ünïcode ✓ to the family".getBytes(StandardCharsets.UTF_8));

        Exchange done = send(Hops.CONTROLLING_FUNCTION, plain);

        assertEquals(new SipOutcome(202, "Accepted"), outcome(done));
        assertTrue(copiesDone.matches(5, SECONDS), "the fan-out sent both copies");
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stores.pendingFanOuts().all().isEmpty());
    }

    @Test
    void should_send_alice_a_failed_report_naming_bob_when_bob_refuses_his_copy_and_she_asked_for_it()
            throws Exception {
        MockEndpoint core = getMockEndpoint(CORE);
        core.whenAnyExchangeReceived(e -> e.getMessage().setHeader(SipMessageConstants.STATUS_CODE,
                BOB.equals(e.getMessage().getHeader(SipMessageConstants.REQUEST_URI)) ? 603 : 200));
        core.expectedMessageCount(3); // bob's copy, carol's copy, alice's report
        Exchange asking = relayedTo(FAMILY, ALICE);
        asking.getMessage().setBody(CpimMessage.builder().from(ALICE).to(FAMILY).text("Dinner at 8")
                .messageId("msg-family-1").dispositionNotification("positive-delivery, negative-delivery").build()
                .toBytes());

        assertEquals(new SipOutcome(202, "Accepted"), outcome(send(Hops.CONTROLLING_FUNCTION, asking)));

        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        Exchange report = core.getReceivedExchanges().stream()
                .filter(e -> ALICE.equals(e.getMessage().getHeader(SipMessageConstants.REQUEST_URI)))
                .findFirst().orElseThrow();
        var m = report.getMessage();
        assertEquals("<sip:cpm-network@cpm.example.com>", m.getHeader(CpmHeaders.P_ASSERTED_IDENTITY));
        assertEquals(Leg.ORIGINATING_DONE, ServedUserMarker.read(m), "the network originates it");
        CpimMessage cpim = CpimMessage.parse(m.getBody(byte[].class));
        assertEquals("message/imdn+xml", cpim.contentType());
        assertTrue(cpim.imdnMessageId().filter(id -> !id.equals("msg-family-1")).isPresent(),
                "a Message-ID of its own");
        assertTrue(cpim.header(CpimMessage.IMDN_NS, "Disposition-Notification").isEmpty(), "asks for no report");
        String xml = new String(cpim.content(), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<message-id>msg-family-1</message-id>") && xml.contains("<failed/>")
                && xml.contains("<recipient-uri>" + BOB + "</recipient-uri>"), xml);
    }

    @Test
    void should_send_no_report_when_a_member_refuses_and_the_sender_asked_only_for_positive_delivery()
            throws Exception {
        MockEndpoint core = getMockEndpoint(CORE);
        core.whenAnyExchangeReceived(e -> e.getMessage().setHeader(SipMessageConstants.STATUS_CODE,
                BOB.equals(e.getMessage().getHeader(SipMessageConstants.REQUEST_URI)) ? 404 : 200));
        core.expectedMessageCount(2);
        core.setAssertPeriod(500); // and no third (a report) in the half second after
        Exchange asking = relayedTo(FAMILY, ALICE);
        asking.getMessage().setBody(CpimMessage.builder().from(ALICE).to(FAMILY).text("Dinner at 8")
                .dispositionNotification("positive-delivery").build().toBytes());

        assertEquals(new SipOutcome(202, "Accepted"), outcome(send(Hops.CONTROLLING_FUNCTION, asking)));

        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }

    @Test
    void should_refuse_403_and_send_nothing_when_the_sender_is_not_a_member() throws Exception {
        assertRefused(new SipOutcome(403, "Sender is not a member of the group"), List.of("GROUP-030"),
                Hops.CONTROLLING_FUNCTION, relayedTo(FAMILY, MALLORY), CORE);
        assertEquals(List.of(), stores.pendingFanOuts().all());
    }

    @Test
    void should_refuse_404_and_send_nothing_when_the_group_is_unknown() throws Exception {
        assertRefused(new SipOutcome(404, "Group not found"), List.of("GROUP-010"),
                Hops.CONTROLLING_FUNCTION, relayedTo("sip:friends@cpm.example.com", ALICE), CORE);
    }
}
