package org.cpmrouter.routes.sipcore;

import java.time.Duration;
import java.util.Locale;

import org.cpmrouter.groupstore.DeferredMessageStore;
import org.cpmrouter.routes.config.RouterConfig;

/**
 * The {@code cpm.deferred.*} settings of deferred delivery, read and checked once: how long a held message is kept
 * ({@code cpm.deferred.expiry}, such as {@code 7d}, {@code 72h}, {@code 30m} or seconds), how many messages one
 * recipient may have held and how many bytes all of them may take, and how often the store is looked at for
 * messages to retry or to give up ({@code cpm.deferred.retry-interval}, the first retry's delay; later ones
 * double, up to an hour).
 */
public record DeferredSettings(Duration expiry, int maxPerRecipient, long maxTotalBytes, Duration retryInterval) {

    /** The longest wait between two retries of a message to a registered recipient who does not take it. */
    static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);

    /** @throws IllegalArgumentException naming the key of a setting that is not valid */
    public static DeferredSettings from(RouterConfig config) {
        Duration expiry = duration(config, "cpm.deferred.expiry");
        int perRecipient = config.getInt("cpm.deferred.max-per-recipient");
        if (perRecipient < 1) {
            throw new IllegalArgumentException("cpm.deferred.max-per-recipient must be at least 1, got " + perRecipient);
        }
        long totalBytes;
        try {
            totalBytes = Long.parseLong(config.get("cpm.deferred.max-total-bytes").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cpm.deferred.max-total-bytes must be a number of bytes, got '"
                    + config.get("cpm.deferred.max-total-bytes") + "'");
        }
        if (totalBytes < 1) {
            throw new IllegalArgumentException("cpm.deferred.max-total-bytes must be positive, got " + totalBytes);
        }
        return new DeferredSettings(expiry, perRecipient, totalBytes, duration(config, "cpm.deferred.retry-interval"));
    }

    DeferredMessageStore.Limits limits() {
        return new DeferredMessageStore.Limits(maxPerRecipient, maxTotalBytes);
    }

    /** The delay before retry number {@code attempts} (from 1): the interval, doubled each time, at most an hour. */
    Duration retryDelay(int attempts) {
        Duration delay = retryInterval.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }

    /** A duration setting: a number with {@code s}, {@code m}, {@code h} or {@code d}, or plain seconds. */
    static Duration duration(RouterConfig config, String key) {
        String text = config.get(key).trim().toLowerCase(Locale.ROOT);
        try {
            char unit = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
            String number = Character.isDigit(unit) ? text : text.substring(0, text.length() - 1).trim();
            long amount = Long.parseLong(number);
            Duration d = switch (unit) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException();
                    }
                    yield Duration.ofSeconds(amount);
                }
            };
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(key + " must be positive, got '" + config.get(key) + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a duration such as 7d, 72h, 30m or 3600 (seconds), got '"
                    + config.get(key) + "'");
        }
    }
}
