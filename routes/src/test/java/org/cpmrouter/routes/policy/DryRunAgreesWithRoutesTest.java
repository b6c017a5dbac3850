package org.cpmrouter.routes.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.cpmrouter.routes.controlling.ControllingFunctionRoute;
import org.cpmrouter.routes.interworking.InterworkingFunctionRoute;
import org.cpmrouter.routes.participating.ParticipatingFunctionOriginatingRoute;
import org.cpmrouter.routes.participating.ParticipatingFunctionTerminatingRoute;
import org.cpmrouter.routes.sipcore.RecipientDeliveryRoute;
import org.cpmrouter.routes.sipcore.SipIngressRoute;
import org.cpmrouter.routes.testsupport.RouteTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dry run must not drift from the routes: a captured request sent through every role route (mocks only at
 * the SIP edges: the recipient's client and the SMSC) fires the same rules, in the same order, and comes to the same
 * status as {@link DryRun#run} reports for it. Authentication is off, as the dry run does not authenticate: both
 * take the sender from the request.
 */
class DryRunAgreesWithRoutesTest extends RouteTestSupport {

    private static final String INGRESS = "direct:sip-ingress";

    @Override
    protected Map<String, String> settings() {
        return Map.of("cpm.auth.enabled", "false");
    }

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        return List.of(sipIngressRoute(), sipIpCoreRoute(),
                new ParticipatingFunctionOriginatingRoute(policy),
                new ParticipatingFunctionTerminatingRoute(policy),
                new ControllingFunctionRoute(policy, addresses, stores.pendingFanOuts(), stores.groups(), reports, metrics),
                interworkingFunctionRoute(policy),
                recipientDeliveryRoute());
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, SipIngressRoute.ROUTE_ID, route -> route.replaceFromWith(INGRESS));
        AdviceWith.adviceWith(context, RecipientDeliveryRoute.DEVICE_ROUTE_ID,
                route -> route.weaveById("to-recipient-client").replace().to("mock:recipient-client"));
        AdviceWith.adviceWith(context, InterworkingFunctionRoute.ROUTE_ID,
                route -> route.weaveById("submit-to-smsc").replace().to("mock:smsc"));
        answering("mock:recipient-client", 200);
        answering("mock:smsc", 202);
    }

    /** The status pins what both must come to, so they cannot agree on a failure. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({ "alice-to-bob, 200", "alice-to-family, 202", "alice-to-sms-number, 202",
        "alice-to-bob-plain, 200", "alice-to-bob-receipt, 200" })
    void should_fire_the_same_rules_and_come_to_the_same_status_when_dry_run_and_routes_take_a_request(
            String fixture, int expectedStatus) throws Exception {
        DryRun.Report report = new DryRun(context, stores, addresses, interworking, UriListSettings.from(config, addresses))
                .run(DryRun.parse(fixture(fixture)), rules());

        Exchange routed = send(INGRESS, request(fixture));

        List<String> dryRunFired = report.steps().stream()
                .flatMap(step -> step.decision().firedRuleIds().stream()).toList();
        assertEquals(expectedStatus, report.status(), report.toText());
        assertEquals(report.status(), outcome(routed).status(), report.toText());
        assertEquals(dryRunFired, firedRules(routed), report.toText());
    }

    /**
     * A message to the URI-list service: the dry run shows the service's decision and then each distinct target of
     * the expanded list with what its copy would come to, and never the message's text.
     */
    @Test
    void should_show_the_expansion_and_each_targets_outcome_and_no_content_when_the_request_is_a_uri_list()
            throws Exception {
        DryRun.Report report = new DryRun(context, stores, addresses, interworking, UriListSettings.from(config, addresses))
                .run(DryRun.parse(fixture("alice-to-list")), rules());
        String text = report.toText();
        assertEquals(202, report.status(), text);
        List<String> fired = report.steps().stream().flatMap(step -> step.decision().firedRuleIds().stream()).toList();
        assertTrue(fired.containsAll(List.of("AUTH-090", "CLASS-050", "ROUTE-050", "ULIST-090")), text);
        assertTrue(text.contains("one copy each to 5 recipients (1 duplicate entries left out)"), text);
        assertTrue(text.contains("sip:carol@cpm.example.com (bcc): "), text);
        assertTrue(text.contains("tel:+15559990000 (to): 202 would go to the non-CPM user by SMS"), text);
        assertTrue(text.contains("sip:family@cpm.example.com (to): 202 Accepted; one copy each to 0 members"), text);
        assertTrue(text.contains("sip:nobody@cpm.example.com (to): 404 Target is not a CPM address"), text);
        assertFalse(text.contains("Secret dinner plans"), "a dry run shows no message content");
    }
}
