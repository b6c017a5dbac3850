package org.cpmrouter.routes.sipcore;

import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.routes.auth.ClientAuthentication;
import org.cpmrouter.routes.auth.CoreAuthentication;
import org.cpmrouter.routes.auth.TrustedPeers;
import org.cpmrouter.routes.logging.MessageOutcomeLog;
import org.cpmrouter.routes.path.Hops;
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

    /** @param authentication the step that authenticates clients ({@link CoreAuthentication#ingressStep()}) */
    public SipIngressRoute(TrustedPeers trustedPeers, MessageLimits limits, Processor authentication) {
        this.trustedPeers = trustedPeers;
        this.limits = limits;
        this.authentication = authentication;
    }

    @Override
    public void configure() {
        // every path sets an outcome; one that does not is a bug, answered 500 rather than a false success
        // tlsPort: a TLS listening point there too, when a key store is configured (cpm.sip.tls.key-store)
        from("sip-message:{{cpm.sip.host}}:{{cpm.sip.port}}?transports={{cpm.sip.transports}}&defaultStatus=500"
                + "&tlsPort={{cpm.sip.tls-port}}").routeId(ROUTE_ID)
                .process(e -> e.getExchangeExtension().addOnCompletion(MessageOutcomeLog.INSTANCE)).id("log-outcome")
                .process(e -> trustedPeers.screen(e.getMessage())).id("screen-trust")
                .process(e -> limits.check(e.getMessage())).id("check-pager-mode-limits")
                .process(authentication).id("authenticate-client")
                .choice()
                    .when(header(SipMessageConstants.METHOD).isEqualTo("REGISTER"))
                        .to(Hops.REGISTRAR).id("to-registrar")
                    .otherwise()
                        .to(Hops.SIP_IP_CORE).id("ingress-to-sip-ip-core")
                .end();
    }
}
