package org.cpmrouter.routes.sipcore;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.Binding;
import org.cpmrouter.groupstore.RegistrationStore;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP/IP Core serving the recipient → the recipient's CPM Client: looks up the recipient's registered contacts
 * (rules: {@code recipient-delivery.drl}: none is {@code 480}), retargets the request to the most recently
 * registered one, and sends it; the client's final response travels back to the sender. A contact registered
 * through proxies that asked to stay on its path (RFC 3327 {@code Path}, as a P-CSCF adds) is reached through
 * them: the request carries them as {@code Route} and goes to the first; any {@code Route} the sender put on the
 * request is not followed to the recipient.
 */
public final class RecipientDeliveryRoute extends RouteBuilder {

    public static final String ROUTE_ID = "recipient-delivery";

    private static final Logger LOG = LoggerFactory.getLogger(RecipientDeliveryRoute.class);

    private final PolicyGateway policy;
    private final RegistrationStore registrations;

    public RecipientDeliveryRoute(PolicyGateway policy, RegistrationStore registrations) {
        this.policy = policy;
        this.registrations = registrations;
    }

    @Override
    public void configure() {
        from(Hops.RECIPIENT_DELIVERY).routeId(ROUTE_ID)
                .process(this::retargetToContact).id("retarget-to-contact")
                .to(Hops.via(Hops.RECIPIENT_CLIENT_HOP)).id("to-recipient-client");
    }

    private void retargetToContact(Exchange exchange) {
        var message = exchange.getMessage();
        String recipient = ServedUserMarker.servedUser(message);
        List<Binding> bindings = recipient == null ? List.of() : registrations.activeBindings(recipient);
        policy.deliver(message, recipient, bindings);
        Binding contact = bindings.get(0);
        message.setHeader(SipMessageConstants.REQUEST_URI, contact.contact());
        if (contact.path().isEmpty()) {
            message.removeHeader("Route");
        } else {
            message.setHeader("Route", contact.path());
        }
        ServedUserMarker.clear(message);
        LOG.info("deliver callId={} recipient={} contact={}{}", message.getHeader("Call-ID"), recipient,
                contact.contact(), contact.path().isEmpty() ? "" : " via " + contact.path());
    }
}
