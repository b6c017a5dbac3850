package org.cpmrouter.routes.sipcore;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.SynchronizationAdapter;
import org.cpmrouter.routes.auth.ClientAuthentication;
import org.cpmrouter.routes.auth.CoreAuthentication;
import org.cpmrouter.routes.auth.TrustedPeers;
import org.cpmrouter.routes.logging.MessageOutcomeLog;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;

/**
 * SIP network → SIP/IP Core: every request the router receives, screened for trust (identity and leg markers
 * only from trusted peers) and, for MESSAGE, the pager-mode limits (413, 415), then authenticated when it comes from
 * a client (digest, 401/403: {@link ClientAuthentication}), then REGISTER to the registrar and MESSAGE to the core.
 */
public final class SipIngressRoute extends RouteBuilder {

    public static final String ROUTE_ID = "sip-ingress";

    private final TrustedPeers trustedPeers;
    private final MessageLimits limits;
    private final Processor authentication;
    private final RouterMetrics metrics;
    private final CountOutcome countOutcome = new CountOutcome();

    /**
     * @param authentication the step that authenticates clients ({@link CoreAuthentication#ingressStep()})
     * @param metrics        where each MESSAGE's outcome and each refusal of the authentication step are counted
     */
    public SipIngressRoute(TrustedPeers trustedPeers, MessageLimits limits, Processor authentication,
                           RouterMetrics metrics) {
        this.trustedPeers = trustedPeers;
        this.limits = limits;
        this.authentication = authentication;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        // every path sets an outcome; one that does not is a bug, answered 500 rather than a false success
        // tlsPort: a TLS listening point there too, when a key store is configured (cpm.sip.tls.key-store)
        from("sip-message:{{cpm.sip.host}}:{{cpm.sip.port}}?transports={{cpm.sip.transports}}&defaultStatus=500"
                + "&tlsPort={{cpm.sip.tls-port}}").routeId(ROUTE_ID)
                .process(e -> e.getExchangeExtension().addOnCompletion(MessageOutcomeLog.INSTANCE)).id("log-outcome")
                .process(e -> e.getExchangeExtension().addOnCompletion(countOutcome)).id("count-outcome")
                .process(e -> trustedPeers.screen(e.getMessage())).id("screen-trust")
                .process(e -> limits.check(e.getMessage())).id("check-pager-mode-limits")
                .process(this::authenticate).id("authenticate-client")
                .choice()
                    .when(header(SipMessageConstants.METHOD).isEqualTo("REGISTER"))
                        .to(Hops.REGISTRAR).id("to-registrar")
                    .otherwise()
                        .to(Hops.SIP_IP_CORE).id("ingress-to-sip-ip-core")
                .end();
    }

    /** The authentication step, its refusals counted (a challenge, or credentials refused). */
    private void authenticate(Exchange exchange) throws Exception {
        try {
            authentication.process(exchange);
        } catch (SipResponseException refused) {
            metrics.authenticationRefused(refused.status());
            throw refused;
        }
    }

    /** Counts a MESSAGE once it is answered, by its outcome. Stateless: one serves every exchange. */
    private final class CountOutcome extends SynchronizationAdapter {
        @Override
        public void onDone(Exchange exchange) {
            if ("MESSAGE".equals(exchange.getMessage().getHeader(SipMessageConstants.METHOD))) {
                metrics.messageAnswered(exchange, SipOutcome.of(exchange).status());
            }
        }
    }
}
