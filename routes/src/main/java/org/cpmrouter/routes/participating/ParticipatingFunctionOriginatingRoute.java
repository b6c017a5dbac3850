package org.cpmrouter.routes.participating;

import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.policy.PolicyGateway;

/**
 * CPM Conversation Server serving the sender, Participating Function (originating) → SIP/IP Core: authorizes the
 * sender (rules: {@code authorization.drl}, AUTH-0xx) and, if authorized, sends the message on towards the target.
 * The final response of the delivery comes back through here to the sender.
 */
public final class ParticipatingFunctionOriginatingRoute extends RouteBuilder {

    public static final String ROUTE_ID = "participating-originating";

    private final PolicyGateway policy;

    public ParticipatingFunctionOriginatingRoute(PolicyGateway policy) {
        this.policy = policy;
    }

    @Override
    public void configure() {
        from(Hops.PARTICIPATING_ORIGINATING).routeId(ROUTE_ID)
                .process(e -> policy.authorizeSender(e.getMessage())).id("authorize-sender")
                .process(e -> ServedUserMarker.markServed(e.getMessage())).id("mark-originating-served")
                .to(Hops.via(Hops.CORE_HOP)).id("originating-to-sip-ip-core");
    }
}
