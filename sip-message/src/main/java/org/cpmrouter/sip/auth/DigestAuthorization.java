package org.cpmrouter.sip.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Digest credentials: the value of an {@code Authorization} (or {@code Proxy-Authorization}) header.
 *
 * @param username  the digest username
 * @param realm     the realm of the challenge answered
 * @param nonce     the nonce of the challenge answered
 * @param uri       the Request-URI as the client wrote it
 * @param response  the digest the server checks
 * @param algorithm the algorithm token as sent (null: absent, which means MD5)
 * @param cnonce    the client nonce (with qop)
 * @param nc        the nonce count, 8 hex digits (with qop)
 * @param qop       the quality of protection chosen (null: none)
 * @param opaque    the challenge's opaque, returned (may be null)
 */
public record DigestAuthorization(String username, String realm, String nonce, String uri, String response,
                                  String algorithm, String cnonce, String nc, String qop, String opaque) {

    /**
     * Parses a header value.
     *
     * @return empty when it is not Digest credentials
     * @throws IllegalArgumentException when they are malformed or lack username, realm, nonce, uri or response
     */
    public static Optional<DigestAuthorization> parse(String headerValue) {
        Optional<Map<String, String>> parsed = DigestParams.parse(headerValue);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> p = parsed.get();
        for (String required : new String[] {"username", "realm", "nonce", "uri", "response"}) {
            if (p.get(required) == null || p.get(required).isEmpty()) {
                throw new IllegalArgumentException("digest credentials without " + required);
            }
        }
        return Optional.of(new DigestAuthorization(p.get("username"), p.get("realm"), p.get("nonce"), p.get("uri"),
                p.get("response"), p.get("algorithm"), p.get("cnonce"), p.get("nc"), p.get("qop"), p.get("opaque")));
    }

    /**
     * The credentials answering a challenge for one request, with {@code qop=auth} when the challenge offers it.
     *
     * @param nonceCount how many requests this nonce has authenticated, this one included (1 for the first)
     * @param cnonce     a fresh, unpredictable client nonce
     */
    public static DigestAuthorization answer(DigestChallenge challenge, String username, String password,
                                             String method, String uri, long nonceCount, String cnonce) {
        DigestAlgorithm a = challenge.algorithm();
        String ha1 = a.ha1(username, challenge.realm(), password);
        if (!challenge.offersAuthQop()) {
            return new DigestAuthorization(username, challenge.realm(), challenge.nonce(), uri,
                    a.responseWithoutQop(ha1, challenge.nonce(), method, uri), a.token(), null, null, null,
                    challenge.opaque());
        }
        String nc = String.format("%08x", nonceCount);
        return new DigestAuthorization(username, challenge.realm(), challenge.nonce(), uri,
                a.response(ha1, challenge.nonce(), nc, cnonce, "auth", method, uri), a.token(), cnonce, nc, "auth",
                challenge.opaque());
    }

    /** The header value; {@code algorithm}, {@code qop} and {@code nc} unquoted (RFC 7616 section 3.4). */
    public String toHeaderValue() {
        StringBuilder b = new StringBuilder("Digest username=").append(DigestParams.quote(username))
                .append(", realm=").append(DigestParams.quote(realm))
                .append(", nonce=").append(DigestParams.quote(nonce))
                .append(", uri=").append(DigestParams.quote(uri))
                .append(", response=").append(DigestParams.quote(response));
        if (algorithm != null) {
            b.append(", algorithm=").append(algorithm);
        }
        if (qop != null) {
            b.append(", qop=").append(qop).append(", nc=").append(nc)
                    .append(", cnonce=").append(DigestParams.quote(cnonce));
        }
        if (opaque != null) {
            b.append(", opaque=").append(DigestParams.quote(opaque));
        }
        return b.toString();
    }

    /** The response is a secret-derived value: kept out of logs. */
    @Override
    public String toString() {
        return "DigestAuthorization[username=" + username + ", realm=" + realm + ", algorithm=" + algorithm
                + ", nc=" + nc + "]";
    }
}
