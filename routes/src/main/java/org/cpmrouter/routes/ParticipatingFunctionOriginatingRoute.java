package org.cpmrouter.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * CPM Conversation Server serving the sender, Participating Function (originating) → SIP/IP Core: authorizes the
 * sender (rules: {@code authorization.drl}, AUTH-0xx) and, if authorized, sends the message on towards the target.
 * The final response of the delivery comes back through here to the sender.
 */
public final class ParticipatingFunctionOriginatingRoute extends RouteBuilder {

    public static final String ROUTE_ID = "participating-originating";
    public static final String ENDPOINT = "direct:participating-originating";

    private final PolicyGateway policy;

    public ParticipatingFunctionOriginatingRoute(PolicyGateway policy) {
        this.policy = policy;
    }

    @Override
    public void configure() {
        from(ENDPOINT).routeId(ROUTE_ID)
                .process(e -> policy.authorizeSender(e.getMessage())).id("authorize-sender")
                .process(e -> ServedUserMarker.markServed(e.getMessage())).id("mark-originating-served")
                .to("{{cpm.hop.core}}").id("originating-to-sip-ip-core");
    }
}
