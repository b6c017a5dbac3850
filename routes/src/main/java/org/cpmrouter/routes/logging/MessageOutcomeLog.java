package org.cpmrouter.routes.logging;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per MESSAGE the router answered: Call-ID, sender, target, the final status, every rule id that fired on
 * the way (in order) and the rule-set hash. The per-stage decision lines of the rules engine say why; this one
 * says what the sender got.
 */
public final class MessageOutcomeLog extends SynchronizationAdapter {

    /** Stateless: one serves every exchange. */
    public static final MessageOutcomeLog INSTANCE = new MessageOutcomeLog();

    private static final Logger LOG = LoggerFactory.getLogger("org.cpmrouter.outcome");

    private MessageOutcomeLog() {
    }

    @Override
    public void onDone(Exchange exchange) {
        var message = exchange.getMessage();
        if (!"MESSAGE".equals(message.getHeader(SipMessageConstants.METHOD)) || !LOG.isInfoEnabled()) {
            return;
        }
        SipOutcome outcome = SipOutcome.of(exchange);
        List<?> fired = exchange.getProperty(PolicyGateway.FIRED_RULES, List.of(), List.class);
        LOG.info("message callId={} from={} to={} status={} reason=\"{}\" rules={} ruleset={}",
                LogText.of(message.getHeader("Call-ID")), LogText.of(message.getHeader(CpmHeaders.P_ASSERTED_IDENTITY)),
                LogText.of(message.getHeader("To")), outcome.status(), LogText.of(outcome.reason()), fired,
                exchange.getProperty(PolicyGateway.RULE_SET, "-", String.class));
    }
}
