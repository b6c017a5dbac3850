package org.cpmrouter.routes.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Nonces the core can verify without remembering them: {@code base64url(issued-at millis | 8 random bytes |
 * HMAC-SHA256 of both, first 16 bytes)} under a key of this process ({@code cpm.auth.nonce-secret}; random per
 * start when blank, so the nodes of a cluster that should accept each other's nonces need the same one). A nonce
 * is {@link Status#VALID} while younger than its lifetime, {@link Status#STALE} after, and {@link Status#INVALID}
 * when this key did not sign it. That a nonce is not used twice is {@link NonceCounts}' job.
 */
public final class DigestNonces {

    /** Shortest {@code cpm.auth.nonce-secret} accepted. */
    static final int MIN_SECRET_CHARS = 16;
    /** How far in the future an issue time may be (another node's clock) before the nonce is refused. */
    private static final long CLOCK_SKEW_MILLIS = 60_000;
    private static final int MAC_BYTES = 16;
    private static final int NONCE_BYTES = 8 + 8 + MAC_BYTES;

    enum Status { VALID, STALE, INVALID }

    private final SecretKeySpec key;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    private final String opaque;

    /**
     * @param secret the signing key's text; blank: a random key for this process only
     * @param clock  milliseconds, {@code System::currentTimeMillis} outside tests
     */
    DigestNonces(String secret, int ttlSeconds, LongSupplier clock) {
        byte[] keyBytes;
        if (secret == null || secret.isEmpty()) {
            keyBytes = new byte[32];
            random.nextBytes(keyBytes);
        } else {
            keyBytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(keyBytes, "HmacSHA256");
        this.ttlMillis = ttlSeconds * 1000L;
        this.clock = clock;
        // the same for every challenge of this key: it only has to come back unchanged
        this.opaque = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Arrays.copyOf(mac("opaque".getBytes(StandardCharsets.US_ASCII)), 12));
    }

    /** A fresh nonce, issued now. */
    String issue() {
        ByteBuffer b = ByteBuffer.allocate(NONCE_BYTES);
        b.putLong(clock.getAsLong());
        byte[] salt = new byte[8];
        random.nextBytes(salt);
        b.put(salt);
        b.put(mac(Arrays.copyOf(b.array(), 16)), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    String opaque() {
        return opaque;
    }

    Status check(String nonce) {
        byte[] bytes = decode(nonce);
        if (bytes == null) {
            return Status.INVALID;
        }
        byte[] expected = Arrays.copyOf(mac(Arrays.copyOf(bytes, 16)), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, 16, NONCE_BYTES))) {
            return Status.INVALID;
        }
        long age = clock.getAsLong() - ByteBuffer.wrap(bytes).getLong();
        if (age < -CLOCK_SKEW_MILLIS) {
            return Status.INVALID;
        }
        return age > ttlMillis ? Status.STALE : Status.VALID;
    }

    /** When a nonce this key signed stops being valid, milliseconds (0 for one it cannot read). */
    long expiresAt(String nonce) {
        byte[] bytes = decode(nonce);
        return bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong() + ttlMillis;
    }

    private static byte[] decode(String nonce) {
        if (nonce == null) {
            return null;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(nonce);
            return bytes.length == NONCE_BYTES ? bytes : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
