package org.cpmrouter.client;

import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.auth.DigestAuthorization;
import org.cpmrouter.sip.auth.DigestChallenge;

/**
 * The client's side of SIP digest authentication: answers a {@code 401} ({@code WWW-Authenticate} →
 * {@code Authorization}) or {@code 407} ({@code Proxy-Authenticate} → {@code Proxy-Authorization}) with the
 * strongest algorithm offered (SHA-256, else MD5), and keeps the last challenge, so the next requests carry
 * credentials at once with a rising nonce count instead of being challenged each time (RFC 3261 section 22.3).
 */
final class ClientDigest {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A challenge answered once, and how many requests its nonce has authenticated since. */
    private record Session(DigestChallenge challenge, boolean proxy, AtomicLong count) {
    }

    private final String username;
    private final String password;
    private volatile Session session;

    ClientDigest(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** True when the client has a password to answer challenges with. */
    boolean canAnswer() {
        return password != null;
    }

    /** Adds credentials for the last challenge, if there is one; true when it did. */
    boolean authorizeAhead(Request request, HeaderFactory headers) throws ParseException {
        Session current = session;
        if (current == null || password == null) {
            return false;
        }
        addCredentials(request, headers, current);
        return true;
    }

    /**
     * Takes the challenge of a 401 or 407 and puts credentials answering it in the request (to be resent).
     *
     * @return false when the response offers no challenge this client can answer
     */
    boolean answer(Response challengeResponse, Request request, HeaderFactory headers) throws ParseException {
        boolean proxy = challengeResponse.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        var challenge = DigestChallenge.preferred(SipNode.headerValues(challengeResponse,
                proxy ? "Proxy-Authenticate" : "WWW-Authenticate"));
        if (challenge.isEmpty() || password == null) {
            return false;
        }
        Session fresh = new Session(challenge.get(), proxy, new AtomicLong());
        session = fresh;
        addCredentials(request, headers, fresh);
        return true;
    }

    /** True when the response says the credentials were right but their nonce was used up. */
    static boolean isStale(Response response) {
        String name = response.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED
                ? "Proxy-Authenticate" : "WWW-Authenticate";
        return DigestChallenge.preferred(SipNode.headerValues(response, name)).map(DigestChallenge::stale)
                .orElse(false);
    }

    private void addCredentials(Request request, HeaderFactory headers, Session s) throws ParseException {
        request.removeHeader("Authorization");
        request.removeHeader("Proxy-Authorization");
        byte[] cnonce = new byte[12];
        RANDOM.nextBytes(cnonce);
        DigestAuthorization credentials = DigestAuthorization.answer(s.challenge(), username, password,
                request.getMethod(), request.getRequestURI().toString(), s.count().incrementAndGet(),
                HexFormat.of().formatHex(cnonce));
        request.addHeader(headers.createHeader(s.proxy() ? "Proxy-Authorization" : "Authorization",
                credentials.toHeaderValue()));
    }
}
