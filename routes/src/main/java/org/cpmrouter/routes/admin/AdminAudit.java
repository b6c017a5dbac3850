package org.cpmrouter.routes.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin audit: one JSON line per change made through the admin API, on logger {@value #LOGGER} (the router
 * writes it to {@code cpm.audit.admin-file} and its log):
 *
 * <pre>
 * {"time":"2026-12-04T10:00:00.123Z",
 *  "who":{"address":"127.0.0.1:53122","operator":"jdoe","credential":"admin token"},
 *  "action":"subscriber.create","target":"sip:dave@cpm.example.com",
 *  "change":{"telAliases":["tel:+15551230004"],"cpmEnabled":true,"barred":false,"password":"set"}}
 * </pre>
 *
 * Who: the client's address, the operator name it gave in {@value #OPERATOR_HEADER} ({@code cpm-admin} sends the
 * login name; a claim, not a proof), and what proved it may ask (the admin token, or nothing when none is set).
 * Never a password or a digest: a password change is {@code "password":"set"}.
 */
public final class AdminAudit {

    /** The logger of the admin audit lines. */
    public static final String LOGGER = "org.cpmrouter.admin.audit";
    /** The request header naming the operator, as the client says. */
    public static final String OPERATOR_HEADER = "X-CPM-Operator";
    /** Longest operator name kept; the rest is cut. */
    static final int MAX_OPERATOR_CHARS = 64;

    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean tokenRequired;
    private final Clock clock;

    /** @param tokenRequired whether the API asks every caller for the admin token ({@code cpm.admin.token} set) */
    public AdminAudit(boolean tokenRequired) {
        this(tokenRequired, Clock.systemUTC());
    }

    AdminAudit(boolean tokenRequired, Clock clock) {
        this.tokenRequired = tokenRequired;
        this.clock = clock;
    }

    /** Writes the line of a change: what was done ({@code subscriber.create}) to what, and what changed. */
    void record(Message request, String action, String target, Map<String, ?> change) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now(clock).toString());
        line.put("who", who(request));
        line.put("action", action);
        line.put("target", target);
        if (change != null && !change.isEmpty()) {
            line.put("change", change);
        }
        try {
            AUDIT.info(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            AUDIT.info("{\"action\":\"{}\",\"error\":\"audit line not written: {}\"}", action,
                    e.getClass().getSimpleName());
        }
    }

    private Map<String, Object> who(Message request) {
        Map<String, Object> who = new LinkedHashMap<>();
        Object address = request.getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        who.put("address", address == null ? null : String.valueOf(address)); // Vert.x's host:port
        who.put("operator", operator(request.getHeader(OPERATOR_HEADER, String.class)));
        who.put("credential", tokenRequired ? "admin token" : "none (no cpm.admin.token set)");
        return who;
    }

    /** The operator name as given, printable characters only, at most {@value #MAX_OPERATOR_CHARS}. */
    static String operator(String claimed) {
        if (claimed == null || claimed.isBlank()) {
            return null;
        }
        String printable = claimed.strip().codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > MAX_OPERATOR_CHARS ? printable.substring(0, MAX_OPERATOR_CHARS) : printable;
    }
}
