package org.cpmrouter.routes.auth;

import java.util.ArrayList;
import java.util.List;

import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.sip.auth.DigestAlgorithm;

/**
 * The {@code cpm.auth.*} settings, read and checked once: whether clients are challenged, the realm (the home
 * domain when blank), the algorithms offered in order of preference, the clients offered MD5 alone
 * ({@link ChallengeChoice}), how long a nonce lives, the key that signs
 * nonces (blank: a random one per start) and how many nonces' counts are tracked at once.
 */
public record DigestAuthSettings(boolean enabled, String realm, List<DigestAlgorithm> algorithms,
                                 List<String> md5OnlyUserAgents, boolean md5OnlyWithoutUserAgent,
                                 int nonceTtlSeconds, String nonceSecret, int maxActiveNonces) {

    /** @throws IllegalArgumentException naming the key of a setting that is not valid */
    public static DigestAuthSettings from(RouterConfig config) {
        boolean enabled = bool(config, "cpm.auth.enabled");
        String realm = config.get("cpm.auth.realm").isBlank() ? config.get("cpm.domain") : config.get("cpm.auth.realm");
        if (realm.contains("\"")) {
            throw new IllegalArgumentException("cpm.auth.realm must not contain a double quote");
        }
        List<DigestAlgorithm> algorithms = new ArrayList<>();
        for (String name : config.getList("cpm.auth.algorithms")) {
            DigestAlgorithm a = DigestAlgorithm.fromToken(name).orElseThrow(() -> new IllegalArgumentException(
                    "cpm.auth.algorithms: '" + name + "' is not one of SHA-256, MD5"));
            if (!algorithms.contains(a)) {
                algorithms.add(a);
            }
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("cpm.auth.algorithms must name at least one of SHA-256, MD5");
        }
        int ttl = positive(config, "cpm.auth.nonce-ttl-seconds");
        int maxNonces = positive(config, "cpm.auth.max-active-nonces");
        String secret = config.get("cpm.auth.nonce-secret");
        if (!secret.isEmpty() && secret.length() < DigestNonces.MIN_SECRET_CHARS) {
            throw new IllegalArgumentException("cpm.auth.nonce-secret must be empty (a random key per start) or at "
                    + "least " + DigestNonces.MIN_SECRET_CHARS + " characters");
        }
        return new DigestAuthSettings(enabled, realm, List.copyOf(algorithms),
                config.getList("cpm.auth.md5-only-user-agents"), bool(config, "cpm.auth.md5-only-without-user-agent"),
                ttl, secret, maxNonces);
    }

    private static boolean bool(RouterConfig config, String key) {
        String value = config.get(key).trim();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static int positive(RouterConfig config, String key) {
        int value = config.getInt(key);
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
        return value;
    }

    /** The nonce key is a secret: it never appears when the settings are printed. */
    @Override
    public String toString() {
        return "DigestAuthSettings[enabled=" + enabled + ", realm=" + realm + ", algorithms=" + algorithms
                + ", md5OnlyUserAgents=" + md5OnlyUserAgents + ", md5OnlyWithoutUserAgent=" + md5OnlyWithoutUserAgent
                + ", nonceTtlSeconds=" + nonceTtlSeconds + ", nonceSecret=" + (nonceSecret.isEmpty() ? "random" : "set")
                + ", maxActiveNonces=" + maxActiveNonces + "]";
    }
}
