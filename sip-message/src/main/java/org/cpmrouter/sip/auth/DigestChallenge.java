package org.cpmrouter.sip.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} (or {@code Proxy-Authenticate}) Digest challenge.
 *
 * @param realm     the protection space, e.g. {@code cpm.example.com}
 * @param nonce     the server's nonce
 * @param opaque    returned unchanged by the client; may be null
 * @param algorithm the hash to answer with
 * @param qop       the quality-of-protection options as sent ({@code auth}, {@code auth,auth-int}); null when none
 * @param stale     true when the previous answer was right but its nonce was no longer usable
 */
public record DigestChallenge(String realm, String nonce, String opaque, DigestAlgorithm algorithm, String qop,
                              boolean stale) {

    public DigestChallenge {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /** The header value: {@code Digest realm="...", nonce="...", opaque="...", algorithm=SHA-256, qop="auth"}. */
    public String toHeaderValue() {
        StringBuilder b = new StringBuilder("Digest realm=").append(DigestParams.quote(realm))
                .append(", nonce=").append(DigestParams.quote(nonce));
        if (opaque != null) {
            b.append(", opaque=").append(DigestParams.quote(opaque));
        }
        b.append(", algorithm=").append(algorithm.token());
        if (qop != null) {
            b.append(", qop=").append(DigestParams.quote(qop));
        }
        if (stale) {
            b.append(", stale=true");
        }
        return b.toString();
    }

    /** True when the challenge offers {@code qop=auth}. */
    public boolean offersAuthQop() {
        return qop != null && Arrays.stream(qop.split(",")).map(String::trim).anyMatch("auth"::equalsIgnoreCase);
    }

    /**
     * Parses one header value; empty when it is not a Digest challenge this project can answer (another scheme,
     * an unknown algorithm, no realm or nonce).
     */
    public static Optional<DigestChallenge> parse(String headerValue) {
        Map<String, String> p;
        try {
            p = DigestParams.parse(headerValue).orElse(null);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        if (p == null || p.get("realm") == null || p.get("nonce") == null) {
            return Optional.empty();
        }
        return DigestAlgorithm.fromToken(p.get("algorithm")).map(a -> new DigestChallenge(p.get("realm"),
                p.get("nonce"), p.get("opaque"), a, p.get("qop"),
                "true".equals(String.valueOf(p.get("stale")).toLowerCase(Locale.ROOT))));
    }

    /**
     * Of the challenges of a 401 or 407, the one to answer: the strongest algorithm spoken here (SHA-256 before
     * MD5, RFC 8760 section 2.4), the first of equals.
     */
    public static Optional<DigestChallenge> preferred(List<String> headerValues) {
        Optional<DigestChallenge> best = Optional.empty();
        for (String value : headerValues) {
            Optional<DigestChallenge> c = parse(value);
            if (c.isPresent() && (best.isEmpty() || c.get().algorithm().ordinal() < best.get().algorithm().ordinal())) {
                best = c;
            }
        }
        return best;
    }
}
