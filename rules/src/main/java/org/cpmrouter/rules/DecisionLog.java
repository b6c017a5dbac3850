package org.cpmrouter.rules;

import java.util.List;

import org.cpmrouter.rules.facts.MessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's default listener: one INFO line per decision, on the logger of {@link PolicyEngine} (the same
 * logger and text as before listeners existed), e.g.
 * {@code decision callId=abc stage=ORIGINATING_AUTHORIZATION verdict=PERMIT status=0 reason="Permitted"
 * rule=AUTH-090 fired=[AUTH-090] ruleset=16520c3e241f}. Never logs a message body (the facts have none).
 *
 * <p>The line is built in one buffer and logged as a finished message: the same text as the parameterized form
 * ({@code "decision callId={} stage={} ..."}) gave, without its argument array, its two {@code String.replace}
 * copies of the reason and the formatter's pass over the pattern, for each of the router's decisions. The buffer is
 * the deciding thread's own, reused from line to line ({@link LineBuffer}).
 */
public final class DecisionLog implements DecisionListener {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);

    @Override
    public void onDecision(MessageContext context, Decision decision) {
        if (LOG.isInfoEnabled()) {
            LOG.info(LineBuffer.finish(append(LineBuffer.take(), context, decision)));
        }
    }

    /** The logged text for one decision. */
    static String line(MessageContext context, Decision decision) {
        return append(new StringBuilder(LineBuffer.INITIAL_CAPACITY), context, decision).toString();
    }

    /** Appends the logged text for one decision to {@code line}. */
    static StringBuilder append(StringBuilder line, MessageContext context, Decision decision) {
        line.append("decision callId=").append(context.getCallId())
                .append(" stage=").append(context.getStage())
                .append(" verdict=").append(decision.verdict())
                .append(" status=").append(decision.status())
                .append(" reason=\"");
        // backslashes doubled, quotes escaped: the reason stays one quoted value
        String reason = decision.reason();
        if (reason.indexOf('\\') < 0 && reason.indexOf('"') < 0) {
            line.append(reason);
        } else {
            for (int i = 0; i < reason.length(); i++) {
                char ch = reason.charAt(i);
                if (ch == '\\' || ch == '"') {
                    line.append('\\');
                }
                line.append(ch);
            }
        }
        line.append("\" rule=").append(decision.decidingRuleId()).append(" fired=[");
        List<String> fired = decision.firedRuleIds();
        for (int i = 0; i < fired.size(); i++) {
            if (i > 0) {
                line.append(", ");
            }
            line.append(fired.get(i));
        }
        return line.append("] ruleset=").append(decision.ruleSetHash());
    }
}
