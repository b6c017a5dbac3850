package org.cpmrouter.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security events of the router, one log line each on the logger {@value #LOGGER}, in a format that stays the
 * same from release to release so that fail2ban-style tools and audits can read it (docs/security.md):
 *
 * <pre>
 * security: refused source=ADDRESS reason=REASON status=STATUS user=USER callId=CALL-ID (DETAIL)
 * security: ban source=ADDRESS reason=REASON count=COUNT seconds=SECONDS (DETAIL)
 * security: ban-lifted source=ADDRESS by=WHO
 * </pre>
 *
 * {@code ADDRESS} is the packet's source IP, first so that a filter anchors on it; {@code REASON} is one token
 * ({@code auth-failed}, {@code sender-rate}, {@code sms-quota}, {@code tls-host-name}, ...); {@code USER} and
 * {@code CALL-ID} are {@code -} when unknown. Every value from the wire goes through {@link LogText}.
 */
public final class SecurityEvents {

    /** The logger name of every security event. */
    public static final String LOGGER = "org.cpmrouter.security";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private SecurityEvents() {
    }

    /** A request refused by a defence: one line per refusal. */
    public static void refused(String source, String reason, int status, String user, String callId, String detail) {
        LOG.warn("security: refused source={} reason={} status={} user={} callId={} ({})", orDash(source), reason,
                status, orDash(user), orDash(callId), detail);
    }

    /** A source banned: once per ban, with what earned it. */
    public static void ban(String source, String reason, long count, long seconds, String detail) {
        LOG.warn("security: ban source={} reason={} count={} seconds={} ({})", LogText.of(source), reason, count,
                seconds, detail);
    }

    /** A ban lifted before its end, by an operator. */
    public static void lifted(String source, String by) {
        LOG.warn("security: ban-lifted source={} by={}", LogText.of(source), by);
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : LogText.of(value).replace(' ', '_');
    }
}
