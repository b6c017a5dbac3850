package org.cpmrouter.routes.auth;

import java.util.List;
import java.util.Locale;

import org.cpmrouter.sip.auth.DigestAlgorithm;

/**
 * Which digest algorithms a client is challenged with. Every client gets {@code cpm.auth.algorithms} in order of
 * preference, one {@code WWW-Authenticate} each (RFC 8760 section 2.4), except clients known to fail on that: their
 * {@code User-Agent} starts with one of {@code cpm.auth.md5-only-user-agents} (baresip 1.0 gives up when any offered
 * algorithm is unknown to it; SIPp 3.6 answers only the first challenge, and only MD5), or they send no
 * {@code User-Agent} and {@code cpm.auth.md5-only-without-user-agent} is on (test tools rarely send one; every
 * phone and desktop client does). Those get the single MD5 challenge.
 *
 * <p>Why this does not weaken anyone else: the choice only affects the request carrying that {@code User-Agent}. A
 * client that lies about its {@code User-Agent} only chooses MD5 for its own credentials; an attacker on the path who
 * could rewrite a victim's header could as well strip its SHA-256 challenge. What MD5 gives up is collision
 * resistance, which digest authentication does not rely on; against an offline guess of a captured answer both
 * algorithms are equally fast to try, so a strong password protects either. Operators who allow only SHA-256 set
 * {@code cpm.auth.algorithms=SHA-256}: then no client is offered MD5, whatever these lists say.
 */
record ChallengeChoice(List<DigestAlgorithm> preferred, List<String> md5OnlyUserAgents, boolean md5OnlyWithoutUserAgent) {

    ChallengeChoice {
        preferred = List.copyOf(preferred);
        md5OnlyUserAgents = md5OnlyUserAgents.stream().map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
    }

    static ChallengeChoice from(DigestAuthSettings settings) {
        return new ChallengeChoice(settings.algorithms(), settings.md5OnlyUserAgents(),
                settings.md5OnlyWithoutUserAgent());
    }

    /** The challenges for a client with this {@code User-Agent} (null: the request has none), in order. */
    List<DigestAlgorithm> offeredTo(String userAgent) {
        return md5Only(userAgent) && preferred.contains(DigestAlgorithm.MD5) ? List.of(DigestAlgorithm.MD5) : preferred;
    }

    private boolean md5Only(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return md5OnlyWithoutUserAgent;
        }
        String agent = userAgent.trim().toLowerCase(Locale.ROOT);
        return md5OnlyUserAgents.stream().anyMatch(agent::startsWith);
    }

    /** For the startup line. */
    String describe() {
        String all = preferred.stream().map(DigestAlgorithm::token).toList().toString();
        if (!preferred.contains(DigestAlgorithm.MD5) || preferred.size() == 1
                || (md5OnlyUserAgents.isEmpty() && !md5OnlyWithoutUserAgent)) {
            return all;
        }
        return all + ", MD5 alone to User-Agents starting " + md5OnlyUserAgents
                + (md5OnlyWithoutUserAgent ? " and to requests without User-Agent" : "");
    }
}
