package org.cpmrouter.routes.auth;

/** For integration tests in other packages: a nonce the router signed (same secret) but that has expired. */
public final class ExpiredNonces {

    private ExpiredNonces() {
    }

    /** A nonce signed with {@code secret}, issued {@code ttlSeconds} plus a minute ago. */
    public static String signedWith(String secret, int ttlSeconds) {
        long issuedAt = System.currentTimeMillis() - (ttlSeconds + 60) * 1000L;
        return new DigestNonces(secret, ttlSeconds, () -> issuedAt).issue();
    }

    /** The opaque the router sends with nonces of this secret. */
    public static String opaqueOf(String secret) {
        return new DigestNonces(secret, 1, System::currentTimeMillis).opaque();
    }
}
