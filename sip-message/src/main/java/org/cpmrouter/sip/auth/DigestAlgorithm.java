package org.cpmrouter.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The digest algorithms of SIP digest authentication this project speaks (RFC 3261 section 22.4 with RFC 8760):
 * SHA-256, preferred, and MD5 for older clients. Every value is lower-case hex of the hash of UTF-8 text.
 */
public enum DigestAlgorithm {

    SHA_256("SHA-256", "SHA-256"),
    MD5("MD5", "MD5");

    private final String token;
    private final String jcaName;

    DigestAlgorithm(String token, String jcaName) {
        this.token = token;
        this.jcaName = jcaName;
    }

    /** The value of the {@code algorithm} parameter. */
    public String token() {
        return token;
    }

    /**
     * The algorithm a parameter names (case-insensitive); an absent parameter means MD5 (RFC 7616 section 3.3).
     * Empty for an algorithm not spoken here (the {@code -sess} variants among them).
     */
    public static Optional<DigestAlgorithm> fromToken(String token) {
        if (token == null || token.isBlank()) {
            return Optional.of(MD5);
        }
        String wanted = token.trim().toUpperCase(Locale.ROOT);
        for (DigestAlgorithm a : values()) {
            if (a.token.equals(wanted)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** H(text). */
    public String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jcaName)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is missing from this JVM", e);
        }
    }

    /** HA1 = H(username:realm:password), what a server stores instead of the password. */
    public String ha1(String username, String realm, String password) {
        return hash(username + ":" + realm + ":" + password);
    }

    /**
     * The {@code response} for {@code qop=auth}: H(HA1:nonce:nc:cnonce:qop:H(method:uri)).
     *
     * @param nc the nonce count as sent, 8 hex digits
     */
    public String response(String ha1, String nonce, String nc, String cnonce, String qop, String method, String uri) {
        return hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + hash(method + ":" + uri));
    }

    /** The {@code response} without {@code qop} (RFC 2069 compatibility): H(HA1:nonce:H(method:uri)). */
    public String responseWithoutQop(String ha1, String nonce, String method, String uri) {
        return hash(ha1 + ":" + nonce + ":" + hash(method + ":" + uri));
    }
}
