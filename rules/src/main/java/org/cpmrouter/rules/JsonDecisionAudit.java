package org.cpmrouter.rules;

import java.time.Instant;
import java.time.LocalDate;
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
 * role        originating | terminating | controlling | interworking | core | reports (see {@link #role(Stage)})
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
    /** A user-to-user decision's line is 400-450 characters: one buffer, never grown. */
    private static final int TYPICAL_LENGTH = LineBuffer.INITIAL_CAPACITY;
    /** 1970-01-01T00:00:00Z up to 9999-12-31T23:59:59Z: the instants {@link #instant} writes itself. */
    private static final long LAST_SECOND_OF_9999 = LocalDate.of(9999, 12, 31).toEpochDay() * 86_400 + 86_399;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /**
     * The ASCII characters a JSON string escapes: controls, quote, backslash, DEL. One look-up per character instead
     * of six comparisons: the scan over an audit line's strings showed in the profile.
     */
    private static final boolean[] ESCAPED_ASCII = new boolean[128];
    /** The day of the last audit line: every line of one day writes the same date, computed once. */
    private static volatile Day lastDay = Day.of(0);

    static {
        for (char ch = 0; ch < 0x20; ch++) {
            ESCAPED_ASCII[ch] = true;
        }
        ESCAPED_ASCII['"'] = true;
        ESCAPED_ASCII['\\'] = true;
        ESCAPED_ASCII[0x7f] = true;
    }

    @Override
    public void onDecision(MessageContext context, Decision decision) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info(LineBuffer.finish(append(LineBuffer.take(), context, decision, Instant.now())));
        }
    }

    /** The audit line for one decision (no trailing newline). */
    public static String toJson(MessageContext c, Decision d, Instant at) {
        Objects.requireNonNull(c, "context");
        Objects.requireNonNull(d, "decision");
        Objects.requireNonNull(at, "at");
        return append(new StringBuilder(TYPICAL_LENGTH), c, d, at).toString();
    }

    /**
     * Appends the audit line for one decision to {@code json}: on the decision path that is the deciding thread's
     * reused buffer ({@link LineBuffer}), so a line costs its finished string only.
     */
    static StringBuilder append(StringBuilder json, MessageContext c, Decision d, Instant at) {
        json.append('{');
        instant(json.append("\"time\":\""), at).append("\",");
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
        return json.append('}');
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
            case URI_LIST_AUTHORIZATION -> "uri-list";
            case ADDRESS_ROUTING, RECIPIENT_DELIVERY -> "core";
            case INTERWORKING_SELECTION -> "interworking";
            case DELIVERY_REPORT -> "reports";
        };
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":");
        if (value == null) {
            return json.append("null");
        }
        return string(json, value);
    }

    /**
     * Appends {@code at} exactly as {@link Instant#toString()} writes it (ISO-8601, seconds always, the fraction in
     * groups of three digits, none when zero), without going through its formatter, which showed in the profile.
     * Instants before 1970 or after 9999 are left to {@link Instant#toString()}.
     */
    static StringBuilder instant(StringBuilder out, Instant at) {
        long seconds = at.getEpochSecond();
        if (seconds < 0 || seconds > LAST_SECOND_OF_9999) {
            return out.append(at);
        }
        long epochDay = seconds / 86_400;
        int secondOfDay = (int) (seconds % 86_400);
        Day day = lastDay;
        if (day.epochDay() != epochDay) {
            day = Day.of(epochDay);
            lastDay = day; // a race only costs another computation of the same text
        }
        out.append(day.text());
        twoDigits(out, secondOfDay / 3600).append(':');
        twoDigits(out, secondOfDay / 60 % 60).append(':');
        twoDigits(out, secondOfDay % 60);
        int nano = at.getNano();
        if (nano != 0) {
            out.append('.');
            if (nano % 1_000_000 == 0) {
                digits(out, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                digits(out, nano / 1_000, 6);
            } else {
                digits(out, nano, 9);
            }
        }
        return out.append('Z');
    }

    /** The date part of an instant, {@code 2026-12-05T}, for one day since the epoch. */
    private record Day(long epochDay, String text) {
        static Day of(long epochDay) {
            LocalDate date = LocalDate.ofEpochDay(epochDay);
            StringBuilder text = new StringBuilder(11).append(date.getYear()).append('-'); // 1970-9999: four digits
            twoDigits(text, date.getMonthValue()).append('-');
            twoDigits(text, date.getDayOfMonth()).append('T');
            return new Day(epochDay, text.toString());
        }
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return digits(out, value, 2);
    }

    /** {@code value} (non-negative) in {@code width} digits, zero-padded on the left. */
    private static StringBuilder digits(StringBuilder out, int value, int width) {
        for (int limit = 10, i = 1; i < width; i++, limit *= 10) {
            if (value < limit) {
                out.append('0');
            }
        }
        return out.append(value);
    }

    /**
     * Appends {@code s} as a JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
     * A string with nothing to escape (the usual case) is appended in one piece. Public for the router's other audit
     * lines, which go to the same file.
     */
    public static StringBuilder string(StringBuilder json, String s) {
        json.append('"');
        int first = 0;
        while (first < s.length() && !needsEscape(s.charAt(first))) {
            first++;
        }
        if (first == s.length()) {
            return json.append(s).append('"');
        }
        json.append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
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
                    if (needsEscape(ch)) {
                        json.append("\\u").append(HEX[ch >> 12 & 0xf]).append(HEX[ch >> 8 & 0xf])
                                .append(HEX[ch >> 4 & 0xf]).append(HEX[ch & 0xf]);
                    } else {
                        json.append(ch);
                    }
                }
            }
        }
        return json.append('"');
    }

    private static boolean needsEscape(char ch) {
        return ch < 0x80 ? ESCAPED_ASCII[ch] : ch == '\u2028' || ch == '\u2029';
    }
}
