package org.cpmrouter.smpp;

import java.util.Objects;

/**
 * Where the SMSC is, how the router binds to it, and the link's timers.
 *
 * @param host                  the SMSC's host name or address
 * @param port                  the SMSC's SMPP port (2775 by convention)
 * @param systemId              the system_id the operator gave the router
 * @param password              its password (never logged)
 * @param systemType            the system_type the operator expects, often empty
 * @param enquireLinkIntervalMs send enquire_link after this long without traffic, and take the link as lost when
 *                              it goes unanswered for responseTimeoutMs
 * @param reconnectDelayMs      wait this long before binding again after a failed bind or a lost session
 * @param responseTimeoutMs     how long any request (bind, submit_sm, enquire_link) waits for its response
 */
public record SmppLinkConfig(String host, int port, String systemId, String password, String systemType,
        long enquireLinkIntervalMs, long reconnectDelayMs, long responseTimeoutMs) {

    public SmppLinkConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(systemId, "systemId");
        if (host.isBlank()) {
            throw new IllegalArgumentException("SMSC host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SMSC port " + port + " is not between 1 and 65535");
        }
        // SMPP 3.4 5.2.1/5.2.2: system_id is at most 15 characters, password at most 8
        if (systemId.isEmpty() || systemId.length() > 15) {
            throw new IllegalArgumentException("SMPP system_id must have 1 to 15 characters, not " + systemId.length());
        }
        if (password != null && password.length() > 8) {
            throw new IllegalArgumentException("SMPP password must have at most 8 characters");
        }
        if (systemType != null && systemType.length() > 12) {
            throw new IllegalArgumentException("SMPP system_type must have at most 12 characters");
        }
        requirePositive("enquireLinkIntervalMs", enquireLinkIntervalMs);
        requirePositive("reconnectDelayMs", reconnectDelayMs);
        requirePositive("responseTimeoutMs", responseTimeoutMs);
        // jSMPP keeps the enquire_link timer as a socket timeout, an int
        if (enquireLinkIntervalMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("enquireLinkIntervalMs is too large: " + enquireLinkIntervalMs);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "SmppLinkConfig[" + systemId + "@" + host + ":" + port + ", systemType=" + systemType
                + ", enquireLinkIntervalMs=" + enquireLinkIntervalMs + ", reconnectDelayMs=" + reconnectDelayMs
                + ", responseTimeoutMs=" + responseTimeoutMs + "]";
    }
}
