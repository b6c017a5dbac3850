package org.cpmrouter.routes.interworking;


import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.Leg;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.policy.InterworkingSettings;
import org.cpmrouter.routes.testsupport.RouteTestSupport;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The Interworking Function: the rules pick the non-CPM service and the message goes out over it. The SMSC is an
 * external peer, so the SMS submission step is a mock and the route starts no SMPP link. The rules here are told
 * of SMS and of MMS, for which this router has no Interworking Function (an operator's configuration edit).
 */
class InterworkingFunctionRouteTest extends RouteTestSupport {

    private static final String SMSC = "mock:smsc";

    @Override
    protected List<RoutesBuilder> roleRoutes() throws Exception {
        InterworkingSettings smsAndMms = new InterworkingSettings(interworking.identifier(),
                interworking.nonCpmDomains(), Set.of(NonCpmServiceIdentifier.SMS, NonCpmServiceIdentifier.MMS));
        return List.of(interworkingFunctionRoute(policyWith(smsAndMms)));
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, InterworkingFunctionRoute.ROUTE_ID,
                route -> route.weaveById("submit-to-smsc").replace().to(SMSC));
    }

    /** alice's message to a non-CPM user's number as the core relays it, naming a service or none. */
    private Exchange toNumber(String service) {
        Exchange exchange = atLeg(Leg.ORIGINATING_DONE, "alice-to-sms-number", ALICE, SMS_NUMBER);
        if (service != null) {
            exchange.getMessage().setHeader(config.get("cpm.interworking.service-header"), service);
        }
        return exchange;
    }

    @Test
    void should_submit_by_sms_when_the_target_is_a_telephone_number_and_no_service_is_named() throws Exception {
        MockEndpoint smsc = answering(SMSC, 202);
        smsc.expectedMessageCount(1);
        smsc.expectedHeaderReceived(SipMessageConstants.REQUEST_URI, SMS_NUMBER);

        assertPassed(202, List.of("IW-020"), Hops.INTERWORKING, toNumber(null));
    }

    @Test
    void should_submit_by_sms_when_the_request_names_sms() throws Exception {
        answering(SMSC, 202).expectedMessageCount(1);

        assertPassed(202, List.of("IW-010"), Hops.INTERWORKING, toNumber("sms"));
    }

    @Test
    void should_refuse_488_when_the_rules_choose_a_service_with_no_interworking_function() throws Exception {
        assertRefused(new SipOutcome(488, "No interworking for non-CPM service MMS"), List.of("IW-010"),
                Hops.INTERWORKING, toNumber(NonCpmServiceIdentifier.MMS), SMSC);
    }

    @Test
    void should_refuse_488_when_the_request_names_a_service_that_is_not_configured() throws Exception {
        assertRefused(new SipOutcome(488, "No interworking for non-CPM service FAX"), List.of("IW-030"),
                Hops.INTERWORKING, toNumber("FAX"), SMSC);
    }
}
