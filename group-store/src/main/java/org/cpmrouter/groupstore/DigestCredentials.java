package org.cpmrouter.groupstore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What the SIP/IP Core needs to check a subscriber's digest authentication (RFC 3261 section 22, RFC 7616, RFC 8760)
 * without ever holding the password: the username the client authenticates with, the realm, and
 * HA1 = H(username ":" realm ":" password) for MD5 and for SHA-256, in lower-case hex.
 *
 * <p>An HA1 is as good as the password inside its realm, so {@link #toString()} never shows the hashes.
 *
 * @param username   the digest username, by default the user part of the public identity ({@code alice})
 * @param realm      the realm the hashes were made for (the router's {@code cpm.auth.realm})
 * @param ha1Md5     MD5 HA1, 32 hex digits
 * @param ha1Sha256  SHA-256 HA1, 64 hex digits
 */
public record DigestCredentials(String username, String realm, String ha1Md5, String ha1Sha256) {

    /**
     * @throws NullPointerException     if a field is null
     * @throws IllegalArgumentException if the username or realm is blank or a hash is not lower-case hex of its size
     */
    public DigestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(ha1Md5, "ha1Md5");
        Objects.requireNonNull(ha1Sha256, "ha1Sha256");
        if (username.isBlank() || realm.isBlank()) {
            throw new IllegalArgumentException("digest username and realm must not be blank");
        }
        if (!isLowerHex(ha1Md5, 32) || !isLowerHex(ha1Sha256, 64)) {
            throw new IllegalArgumentException("HA1 values must be lower-case hex: 32 digits (MD5), 64 (SHA-256)");
        }
    }

    /** A loop, not a regular expression: every subscriber read from the store is checked here. */
    private static boolean isLowerHex(String text, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Hashes a password for a username and realm; the password itself is not kept. */
    public static DigestCredentials fromPassword(String username, String realm, String password) {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        String a1 = username + ":" + realm + ":" + password;
        return new DigestCredentials(username, realm, hex("MD5", a1), hex("SHA-256", a1));
    }

    /** The default digest username of a subscriber: the user part of its public identity. */
    public static String defaultUsername(String publicIdentity) {
        int colon = publicIdentity.indexOf(':');
        int at = publicIdentity.lastIndexOf('@');
        if (colon < 0 || at <= colon + 1) {
            throw new IllegalArgumentException("no user part in " + publicIdentity + " to authenticate with");
        }
        return publicIdentity.substring(colon + 1, at);
    }

    private static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "DigestCredentials[username=" + username + ", realm=" + realm + ", HA1 hidden]";
    }
}
