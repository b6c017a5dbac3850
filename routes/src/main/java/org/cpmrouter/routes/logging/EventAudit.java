package org.cpmrouter.routes.logging;

import java.time.Instant;

import org.cpmrouter.rules.JsonDecisionAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit lines for what the router did besides deciding (a delivery report sent, ...): one JSON object on one line
 * on the audit logger, so it goes to the same file as the decisions ({@link AuditLogFile}). Fields, in this order:
 * {@code time} (ISO-8601 UTC), {@code event}, then the caller's, each a string or null. Never a message body: the
 * callers pass identifiers and addresses only.
 */
public final class EventAudit {

    private static final Logger AUDIT = LoggerFactory.getLogger(AuditLogFile.LOGGER);

    private EventAudit() {
    }

    /**
     * Writes one line: {@code event}, then {@code namesAndValues} as name, value, name, value...
     *
     * @throws IllegalArgumentException when a name has no value
     */
    public static void write(String event, String... namesAndValues) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info(line(Instant.now(), event, namesAndValues));
        }
    }

    /** The text of one line (no trailing newline). */
    static String line(Instant at, String event, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("audit field " + namesAndValues[namesAndValues.length - 1]
                    + " has no value");
        }
        StringBuilder json = new StringBuilder(256).append("{\"time\":\"").append(at).append("\",\"event\":");
        JsonDecisionAudit.string(json, event);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.append(',');
            JsonDecisionAudit.string(json, namesAndValues[i]).append(':');
            if (namesAndValues[i + 1] == null) {
                json.append("null");
            } else {
                JsonDecisionAudit.string(json, namesAndValues[i + 1]);
            }
        }
        return json.append('}').toString();
    }
}
