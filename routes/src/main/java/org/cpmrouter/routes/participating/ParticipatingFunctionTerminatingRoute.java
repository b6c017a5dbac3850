package org.cpmrouter.routes.participating;

import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.policy.PolicyGateway;

/**
 * CPM Conversation Server serving the recipient, Participating Function (terminating) → SIP/IP Core: authorizes
 * delivery to the recipient (rules: {@code authorization.drl}, AUTH-1xx) and sends the message towards the
 * recipient's client.
 */
public final class ParticipatingFunctionTerminatingRoute extends RouteBuilder {

    public static final String ROUTE_ID = "participating-terminating";

    private final PolicyGateway policy;

    public ParticipatingFunctionTerminatingRoute(PolicyGateway policy) {
        this.policy = policy;
    }

    @Override
    public void configure() {
        from(Hops.PARTICIPATING_TERMINATING).routeId(ROUTE_ID)
                .process(e -> policy.authorizeDelivery(e.getMessage())).id("authorize-delivery")
                .process(e -> ServedUserMarker.markServed(e.getMessage())).id("mark-terminating-served")
                .to(Hops.via(Hops.CORE_HOP)).id("terminating-to-sip-ip-core");
    }
}
