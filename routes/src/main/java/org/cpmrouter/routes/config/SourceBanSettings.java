package org.cpmrouter.routes.config;

import java.util.Set;

/**
 * The settings of the source bans, read and checked once: failed authentications ({@code cpm.auth.max-failures}
 * within {@code cpm.auth.failure-window-seconds} bans for {@code cpm.auth.ban-seconds}) and floods
 * ({@code cpm.flood.max-requests} within {@code cpm.flood.window-seconds} bans for {@code cpm.flood.ban-seconds}).
 * A count of 0 turns that defence off. The addresses in {@code cpm.bans.exempt-addresses} (a proxy in front that
 * forwards many users' requests from its one address) are never counted nor banned.
 */
public record SourceBanSettings(int maxFailures, int failureWindowSeconds, int banSeconds, int floodMaxRequests,
                                int floodWindowSeconds, int floodBanSeconds, Set<String> exemptAddresses) {

    /** @throws IllegalArgumentException naming the key of a setting that is not valid */
    public static SourceBanSettings from(RouterConfig config) {
        return new SourceBanSettings(notNegative(config, "cpm.auth.max-failures"),
                positive(config, "cpm.auth.failure-window-seconds"), positive(config, "cpm.auth.ban-seconds"),
                notNegative(config, "cpm.flood.max-requests"), positive(config, "cpm.flood.window-seconds"),
                positive(config, "cpm.flood.ban-seconds"), Set.copyOf(config.getList("cpm.bans.exempt-addresses")));
    }

    /** Checks every key, for {@link RouterConfig}'s validation at load. */
    public static void validate(RouterConfig config) {
        from(config);
    }

    private static int notNegative(RouterConfig config, String key) {
        int value = config.getInt(key);
        if (value < 0) {
            throw new IllegalArgumentException(key + " must be 0 (off) or positive, got " + value);
        }
        return value;
    }

    private static int positive(RouterConfig config, String key) {
        int value = config.getInt(key);
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
        return value;
    }

    /** For the startup line. */
    public String describe() {
        return (maxFailures == 0 ? "auth-failure bans off" : maxFailures + " failed authentications in "
                + failureWindowSeconds + " s ban for " + banSeconds + " s") + ", "
                + (floodMaxRequests == 0 ? "flood bans off" : "more than " + floodMaxRequests + " requests in "
                + floodWindowSeconds + " s ban for " + floodBanSeconds + " s")
                + (exemptAddresses.isEmpty() ? "" : ", never banned: " + String.join(", ", exemptAddresses));
    }
}
