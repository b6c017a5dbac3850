package org.cpmrouter.routes.sipcore;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ChoiceDefinition;
import org.cpmrouter.routes.auth.IdentityAsserter;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.Leg;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.rules.Decision;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP/IP Core → the next leg of clause 5.2.2.1, chosen by the {@link ServedUserMarker}: a new request goes to the
 * sender's Conversation Server (originating Participating Function) with the sender's identity asserted; after the
 * originating leg, the target's address type decides (rules: {@code routing-by-address-type.drl}: a CPM User's
 * terminating Participating Function, the Controlling Function hosting a Pre-defined Group, the URI-list service
 * for a list of recipients, or the Interworking Function towards a non-CPM user); after the terminating leg, the
 * message goes to the recipient's registered client. The relays are tables ({@link #NEXT_BY_LEG},
 * {@link #NEXT_BY_DESTINATION}); the endpoints and hop settings they name come from {@link Hops}.
 *
 * <p>The core is one route: its originating leg and its routing by address type are branches of it, not routes of
 * their own behind {@code direct:} endpoints. Each route a message enters costs Camel's per-route work (unit of work
 * bookkeeping, its completions copied, the in-flight registry), and a user-to-user message enters the core three
 * times; as branches they saved two route entries per message (bench/README.md, "Camel hops").
 */
public final class SipIpCoreRoute extends RouteBuilder {

    public static final String ROUTE_ID = "sip-ip-core";
    static final String LEG = "cpmLeg";
    static final String DESTINATION = "cpmDestination";

    /** A step of a dispatch table: where a request goes next, and the id of that step in the route. */
    record Next(String endpoint, String id) {
    }

    /** A relay to another role over its {@code cpm.hop.*} setting, with the ids of the send and of its timeout. */
    record Relay(String hopSetting, String id, String timeoutId) {
    }

    /**
     * The leg a request has reached → the role in this process that takes it on, for the legs the core only relays
     * (each leg is done once, in the order of {@link Leg}); {@link Leg#NEW} and {@link Leg#ORIGINATING_DONE} are the
     * core's own work, in its route.
     */
    static final Map<Leg, Next> NEXT_BY_LEG = tableOf(Leg.class, Map.of(
            Leg.AT_ORIGINATING_PARTICIPATING, new Next(Hops.PARTICIPATING_ORIGINATING,
                    "to-local-participating-originating"),
            Leg.AT_TERMINATING_PARTICIPATING, new Next(Hops.PARTICIPATING_TERMINATING,
                    "to-local-participating-terminating"),
            Leg.TERMINATING_DONE, new Next(Hops.RECIPIENT_DELIVERY, "to-recipient-delivery")));

    /** The destination the rules chose by the target's address type → the role the core relays to. */
    static final Map<Destination, Relay> NEXT_BY_DESTINATION = tableOf(Destination.class, Map.of(
            Destination.PARTICIPATING_TERMINATING, new Relay(Hops.PARTICIPATING_TERMINATING_HOP,
                    "to-participating-terminating", "relay-timeout-pt"),
            Destination.CONTROLLING_FUNCTION, new Relay(Hops.CONTROLLING_FUNCTION_HOP,
                    "to-controlling-function", "relay-timeout-cf"),
            Destination.URI_LIST_SERVICE, new Relay(Hops.URI_LIST_SERVICE_HOP,
                    "to-uri-list-service", "relay-timeout-ul"),
            Destination.INTERWORKING, new Relay(Hops.INTERWORKING_HOP,
                    "to-interworking-function", "relay-timeout-iw")));

    private static final Logger LOG = LoggerFactory.getLogger(SipIpCoreRoute.class);

    private final IdentityAsserter identityAsserter;
    private final PolicyGateway policy;
    private final SenderRateLimit rateLimit;

    public SipIpCoreRoute(IdentityAsserter identityAsserter, PolicyGateway policy, SenderRateLimit rateLimit) {
        this.identityAsserter = identityAsserter;
        this.policy = policy;
        this.rateLimit = rateLimit;
    }

    @Override
    public void configure() {
        ChoiceDefinition byLeg = from(Hops.SIP_IP_CORE).routeId(ROUTE_ID)
                .process(e -> e.setProperty(LEG, ServedUserMarker.read(e.getMessage()))).id("read-leg-marker")
                .choice();
        for (Leg leg : Leg.values()) {
            byLeg.when(exchangeProperty(LEG).isEqualTo(leg));
            switch (leg) {
                case NEW -> originatingLeg(byLeg);
                case ORIGINATING_DONE -> addressTypeRouting(byLeg);
                default -> byLeg.to(NEXT_BY_LEG.get(leg).endpoint()).id(NEXT_BY_LEG.get(leg).id());
            }
        }
        byLeg.otherwise().process(SipIpCoreRoute::noLeg).id("no-leg").end();
    }

    /** A new request: the sender's identity asserted, then to the sender's Conversation Server. */
    private void originatingLeg(ChoiceDefinition branch) {
        branch.process(this::startOriginatingLeg).id("assert-sender-identity")
                .to(Hops.via(Hops.PARTICIPATING_ORIGINATING_HOP)).id("to-participating-originating")
                .process(RelayTimeout.after(Hops.PARTICIPATING_ORIGINATING_HOP)).id("relay-timeout-po");
    }

    /** After the originating leg: the rules classify the target, then to the role of {@link #NEXT_BY_DESTINATION}. */
    private void addressTypeRouting(ChoiceDefinition branch) {
        ChoiceDefinition byDestination = branch.process(this::routeByAddressType).id("route-by-address-type")
                .choice();
        NEXT_BY_DESTINATION.forEach((destination, relay) -> byDestination
                .when(exchangeProperty(DESTINATION).isEqualTo(destination))
                .to(Hops.via(relay.hopSetting())).id(relay.id())
                .process(RelayTimeout.after(relay.hopSetting())).id(relay.timeoutId()));
        byDestination.otherwise().process(SipIpCoreRoute::noHopFor).id("no-hop-for-destination").end();
    }

    /** An enum-keyed table that iterates in the enum's order, so the route's branches follow the path. */
    private static <K extends Enum<K>, V> Map<K, V> tableOf(Class<K> keys, Map<K, V> rows) {
        Map<K, V> table = new EnumMap<>(keys);
        table.putAll(rows);
        return Collections.unmodifiableMap(table);
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
            LOG.info("core callId={} refused: no sender identity (403)", LogText.of(message.getHeader("Call-ID")));
            throw new SipResponseException(403, "Sender Identity Unknown");
        }
        rateLimit.acquire(sender, message.getHeader(SipMessageConstants.REMOTE_ADDRESS, String.class),
                message.getHeader("Call-ID", String.class));
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
                LogText.of(exchange.getMessage().getHeader("Call-ID")), destination);
        throw new SipResponseException(500, "No Route To " + destination);
    }
}
