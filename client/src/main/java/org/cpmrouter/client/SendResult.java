package org.cpmrouter.client;

import java.util.Locale;

/**
 * The final response a request got: status, reason phrase, the request's Call-ID, and for a refusal who answered
 * ({@code Server}, null when the response had none) and what the recipient takes ({@code Accept}, null when none).
 */
public record SendResult(int status, String reason, String callId, String server, String accept) {

    /** The {@code Server} of the refusals the CPM Router answers itself. */
    static final String ROUTER_SERVER = "CPM-Router";

    public SendResult(int status, String reason, String callId) {
        this(status, reason, callId, null, null);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Who refused, as the response says: the router, the recipient's client (by its name), or unknown. */
    public String refusedBy() {
        if (server == null || server.isBlank()) {
            return "the response does not say who refused";
        }
        if (server.toLowerCase(Locale.ROOT).startsWith(ROUTER_SERVER.toLowerCase(Locale.ROOT))) {
            return "refused by the CPM Router";
        }
        return "refused by the recipient's client (" + server + ")";
    }

    @Override
    public String toString() {
        return status + " " + reason;
    }
}
