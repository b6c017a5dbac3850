package org.cpmrouter.rules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision audit trail: one JSON object on one line per decision, logged at INFO on the logger
 * {@value #LOGGER} (the application routes that logger to its own rotating file). Fields, in this order:
 * <pre>
 * time        ISO-8601 UTC instant of the decision
 * callId      SIP Call-ID
 * role        originating | terminating | controlling | interworking | core (see {@link #role(Stage)})
 * stage       the Stage name
 * sender      asserted sender identity, or null
 * target      target URI
 * addressType classified address type, or null
 * verdict     "PERMIT" | "DENY"
 * status      SIP status of a denial (number); 0 when permitted
 * reason      short reason text
 * nextHop     the Destination name, or null
 * service     the non-CPM service chosen at INTERWORKING_SELECTION (SMS, MMS), or null
 * rule        id of the deciding rule
 * fired       ids of the rules that fired, in firing order
 * ruleset     hash of the rule set that decided
 * </pre>
 * Never a message body: the facts carry none.
 */
public final class JsonDecisionAudit implements DecisionListener {

    /** Name of the SLF4J logger the JSON lines go to. */
    public static final String LOGGER = "org.cpmrouter.audit";

    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);

    @Override
    public void onDecision(MessageContext context, Decision decision) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info(toJson(context, decision, Instant.now()));
        }
    }

    /** The audit line for one decision (no trailing newline). */
    public static String toJson(MessageContext c, Decision d, Instant at) {
        Objects.requireNonNull(c, "context");
        Objects.requireNonNull(d, "decision");
        Objects.requireNonNull(at, "at");
        StringBuilder json = new StringBuilder(384).append('{');
        field(json, "time", at.toString()).append(',');
        field(json, "callId", c.getCallId()).append(',');
        field(json, "role", role(c.getStage())).append(',');
        field(json, "stage", c.getStage().name()).append(',');
        field(json, "sender", c.getSender()).append(',');
        field(json, "target", c.getTarget()).append(',');
        field(json, "addressType", d.addressType() == null ? null : d.addressType().name()).append(',');
        field(json, "verdict", d.verdict().name()).append(',');
        json.append("\"status\":").append(d.status()).append(',');
        field(json, "reason", d.reason()).append(',');
        field(json, "nextHop", d.destination() == null ? null : d.destination().name()).append(',');
        field(json, "service", d.nonCpmService()).append(',');
        field(json, "rule", d.decidingRuleId()).append(',');
        json.append("\"fired\":[");
        List<String> fired = d.firedRuleIds();
        for (int i = 0; i < fired.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            string(json, fired.get(i));
        }
        json.append("],");
        field(json, "ruleset", d.ruleSetHash());
        return json.append('}').toString();
    }

    /**
     * The CPM functional role that asks at this stage. The SIP/IP Core stages share "core". The switch has no
     * default, so the compiler points at this method when a stage is added.
     */
    public static String role(Stage stage) {
        return switch (stage) {
            case ORIGINATING_AUTHORIZATION -> "originating";
            case TERMINATING_AUTHORIZATION -> "terminating";
            case CONTROLLING_AUTHORIZATION -> "controlling";
            case ADDRESS_ROUTING, RECIPIENT_DELIVERY -> "core";
            case INTERWORKING_SELECTION -> "interworking";
        };
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":");
        if (value == null) {
            return json.append("null");
        }
        return string(json, value);
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    static StringBuilder string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    // other controls, DEL, and the JavaScript line separators: \\u escapes keep the line one line
                    if (ch < 0x20 || ch == 0x7f || ch == '\u2028' || ch == '\u2029') {
                        json.append(String.format("\\u%04x", (int) ch));
                    } else {
                        json.append(ch);
                    }
                }
            }
        }
        return json.append('"');
    }
}
