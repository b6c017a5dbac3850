package org.cpmrouter.rules;

import org.cpmrouter.rules.facts.MessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's default listener: one INFO line per decision, on the logger of {@link PolicyEngine} (the same
 * logger and text as before listeners existed), e.g.
 * {@code decision callId=abc stage=ORIGINATING_AUTHORIZATION verdict=PERMIT status=0 reason="Permitted"
 * rule=AUTH-090 fired=[AUTH-090] ruleset=16520c3e241f}. Never logs a message body (the facts have none).
 */
public final class DecisionLog implements DecisionListener {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);

    @Override
    public void onDecision(MessageContext context, Decision decision) {
        if (LOG.isInfoEnabled()) {
            LOG.info("decision callId={} stage={} verdict={} status={} reason=\"{}\" rule={} fired={} ruleset={}",
                    context.getCallId(), context.getStage(), decision.verdict(), decision.status(),
                    decision.reason().replace("\\", "\\\\").replace("\"", "\\\""),
                    decision.decidingRuleId(), decision.firedRuleIds(), decision.ruleSetHash());
        }
    }
}
