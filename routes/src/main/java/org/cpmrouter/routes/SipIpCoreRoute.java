package org.cpmrouter.routes;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.rules.Decision;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP/IP Core → the next leg of clause 5.2.2.1, chosen by the {@link ServedUserMarker}: a new request goes to the
 * sender's Conversation Server (originating Participating Function) with the sender's identity asserted; after the
 * originating leg, the target's address type decides (rules: {@code routing-by-address-type.drl}: a CPM User's
 * terminating Participating Function, the Controlling Function hosting a Pre-defined Group, or the Interworking
 * Function towards a non-CPM user); after the terminating leg, the message goes to the recipient's registered
 * client.
 */
public final class SipIpCoreRoute extends RouteBuilder {

    public static final String ROUTE_ID = "sip-ip-core";
    public static final String ENDPOINT = "direct:sip-ip-core";
    public static final String ADDRESS_ROUTING_ROUTE_ID = "sip-ip-core-address-type-routing";
    static final String ADDRESS_ROUTING_ENDPOINT = "direct:sip-ip-core-address-type-routing";
    static final String LEG = "cpmLeg";
    static final String DESTINATION = "cpmDestination";

    private static final Logger LOG = LoggerFactory.getLogger(SipIpCoreRoute.class);

    private final IdentityAsserter identityAsserter;
    private final PolicyGateway policy;
    private final SenderRateLimit rateLimit;

    SipIpCoreRoute(IdentityAsserter identityAsserter, PolicyGateway policy, SenderRateLimit rateLimit) {
        this.identityAsserter = identityAsserter;
        this.policy = policy;
        this.rateLimit = rateLimit;
    }

    @Override
    public void configure() {
        from(ENDPOINT).routeId(ROUTE_ID)
                .process(e -> e.setProperty(LEG, ServedUserMarker.read(e.getMessage()))).id("read-leg-marker")
                .choice()
                    .when(leg(Leg.NEW))
                        .process(this::startOriginatingLeg).id("assert-sender-identity")
                        .to("{{cpm.hop.participating-originating}}").id("to-participating-originating")
                        .process(RelayTimeout.after("cpm.hop.participating-originating")).id("relay-timeout-po")
                    .when(leg(Leg.AT_ORIGINATING_PARTICIPATING))
                        .to(ParticipatingFunctionOriginatingRoute.ENDPOINT).id("to-local-participating-originating")
                    .when(leg(Leg.ORIGINATING_DONE))
                        .to(ADDRESS_ROUTING_ENDPOINT).id("to-address-type-routing")
                    .when(leg(Leg.AT_TERMINATING_PARTICIPATING))
                        .to(ParticipatingFunctionTerminatingRoute.ENDPOINT).id("to-local-participating-terminating")
                    .when(leg(Leg.TERMINATING_DONE))
                        .to(RecipientDeliveryRoute.ENDPOINT).id("to-recipient-delivery")
                    .otherwise()
                        .process(SipIpCoreRoute::noLeg).id("no-leg")
                .end();

        from(ADDRESS_ROUTING_ENDPOINT).routeId(ADDRESS_ROUTING_ROUTE_ID)
                .process(this::routeByAddressType).id("route-by-address-type")
                .choice()
                    .when(exchangeProperty(DESTINATION).isEqualTo(Destination.PARTICIPATING_TERMINATING))
                        .to("{{cpm.hop.participating-terminating}}").id("to-participating-terminating")
                        .process(RelayTimeout.after("cpm.hop.participating-terminating")).id("relay-timeout-pt")
                    .when(exchangeProperty(DESTINATION).isEqualTo(Destination.CONTROLLING_FUNCTION))
                        .to("{{cpm.hop.controlling-function}}").id("to-controlling-function")
                        .process(RelayTimeout.after("cpm.hop.controlling-function")).id("relay-timeout-cf")
                    .when(exchangeProperty(DESTINATION).isEqualTo(Destination.INTERWORKING))
                        .to("{{cpm.hop.interworking}}").id("to-interworking-function")
                        .process(RelayTimeout.after("cpm.hop.interworking")).id("relay-timeout-iw")
                    .otherwise()
                        .process(SipIpCoreRoute::noHopFor).id("no-hop-for-destination")
                .end();
    }

    private Predicate leg(Leg leg) {
        return exchangeProperty(LEG).isEqualTo(leg);
    }

    /**
     * Originating leg of the core: establish who sent it, hold the sender to the rate limit, assert the identity,
     * then hand it to the sender's server.
     */
    private void startOriginatingLeg(Exchange exchange) {
        var message = exchange.getMessage();
        String sender = identityAsserter.identify(message).orElse(null);
        message.removeHeader(CpmHeaders.P_PREFERRED_IDENTITY);
        if (sender == null) {
            LOG.info("core callId={} refused: no sender identity (403)", message.getHeader("Call-ID"));
            throw new SipResponseException(403, "Sender Identity Unknown");
        }
        rateLimit.acquire(sender);
        message.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + sender + ">");
        ServedUserMarker.handTo(message, sender, true);
    }

    /** After the originating leg: the rules classify the target and pick the next hop. */
    private void routeByAddressType(Exchange exchange) {
        var message = exchange.getMessage();
        Decision decision = policy.routeByAddressType(message);
        exchange.setProperty(DESTINATION, decision.destination());
        if (decision.destination() == Destination.PARTICIPATING_TERMINATING) {
            ServedUserMarker.handTo(message, policy.targetIdentity(message), false);
        }
    }

    private static void noLeg(Exchange exchange) {
        throw new IllegalStateException("no leg for marker " + exchange.getProperty(LEG));
    }

    private static void noHopFor(Exchange exchange) {
        Object destination = exchange.getProperty(DESTINATION);
        LOG.error("core callId={} rules chose {} but this router has no hop for it",
                exchange.getMessage().getHeader("Call-ID"), destination);
        throw new SipResponseException(500, "No Route To " + destination);
    }
}
