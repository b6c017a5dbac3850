package org.cpmrouter.routes.sipcore;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling shared by every route: no redelivery and no generic error logging. A refusal is a
 * {@link org.cpmrouter.sip.SipResponseException} that travels back through the in-memory hops to the SIP consumer,
 * which answers with its status; anything else is answered {@code 500} and logged there with the Call-ID.
 * Retrying a MESSAGE would duplicate it; the SIP transaction layer owns retransmission.
 */
public final class SipErrorHandlingConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration().errorHandler(noErrorHandler());
    }
}
