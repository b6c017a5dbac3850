package org.cpmrouter.routes.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;

import org.apache.camel.Message;
import org.cpmrouter.groupstore.DigestCredentials;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.cpmrouter.sip.auth.DigestAuthorization;
import org.cpmrouter.sip.auth.DigestChallenge;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP digest authentication of a client's request (RFC 3261 section 22, RFC 7616, RFC 8760), against the
 * credentials in the subscriber store. It answers with the subscriber the credentials belong to, or refuses:
 *
 * <ul>
 * <li>{@code 401} with one {@code WWW-Authenticate} per algorithm the client is offered ({@link ChallengeChoice}:
 *     in order of preference, RFC 8760 section 2.4, or MD5 alone for clients that fail on more),
 *     {@code qop="auth"}: no credentials for this realm, a nonce this router did not sign, an algorithm or qop it
 *     did not offer; with {@code stale=true} when the digest was right but the nonce has expired or its count was
 *     already used (a replay);</li>
 * <li>{@code 403 Authentication failed}: a wrong digest, an unknown username, a subscriber without credentials;</li>
 * <li>{@code 400}: credentials that cannot be read, or whose {@code uri} is not the Request-URI (RFC 7616 3.4.6).</li>
 * </ul>
 *
 * <p>Why 403 and not a fresh 401 for a wrong password: the client has answered a challenge of ours, for a nonce
 * we signed, and its digest is wrong, so its password is. A fresh challenge would only bring the same wrong answer
 * back (clients that keep credentials resend them at once, some in a loop); 403 tells it that repeating will not
 * help (RFC 3261 section 21.4.4) and its user sees "Authentication failed". A user who corrects the password
 * simply sends again and gets a new challenge. Unknown usernames get the same 403, so it reveals no subscriber.
 */
public final class DigestAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(DigestAuthenticator.class);
    static final String FAILED = "Authentication failed";

    private final SubscriberStore subscribers;
    private final String realm;
    private final List<DigestAlgorithm> algorithms;
    private final ChallengeChoice choice;
    private final UnansweredChallenges unanswered;
    private final DigestNonces nonces;
    private final NonceCounts counts;
    private final AuthFailures failures;
    private final AddressFactory uris;

    /**
     * Who sends a request, as far as challenges go: its source host, the identity it claims and its
     * {@code User-Agent} (null when it has none).
     */
    record Client(String host, String identity, String userAgent) {
    }

    DigestAuthenticator(SubscriberStore subscribers, String realm, ChallengeChoice choice,
                        UnansweredChallenges unanswered, DigestNonces nonces, NonceCounts counts,
                        AuthFailures failures) {
        this.subscribers = subscribers;
        this.realm = realm;
        this.algorithms = choice.preferred();
        this.choice = choice;
        this.unanswered = unanswered;
        this.nonces = nonces;
        this.counts = counts;
        this.failures = failures;
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            this.uris = factory.createAddressFactory();
        } catch (javax.sip.PeerUnavailableException e) {
            throw new IllegalStateException("no JAIN-SIP address factory", e);
        }
    }

    String realm() {
        return realm;
    }

    /**
     * The subscriber whose credentials authenticate this request.
     *
     * @throws SipResponseException 401 (challenge), 403 or 400 as described above
     */
    Subscriber authenticate(Message request, Client client) {
        String callId = LogText.of(request.getHeader("Call-ID")); // as logged: every value below is from the wire
        DigestAuthorization credentials = credentialsForRealm(request, callId);
        if (credentials == null) {
            LOG.debug("auth callId={} no credentials for realm {}: challenged", callId, realm);
            unanswered.challenged(client.host(), client.identity(), client.userAgent(), callId,
                    choice.offeredTo(client.userAgent()));
            throw challenge(client, false);
        }
        String user = LogText.of(credentials.username());
        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.fromToken(credentials.algorithm())
                .filter(algorithms::contains);
        if (algorithm.isEmpty() || !"auth".equalsIgnoreCase(credentials.qop())) {
            LOG.info("auth callId={} user={} algorithm={} qop={} not offered: challenged again", callId, user,
                    LogText.of(credentials.algorithm()), LogText.of(credentials.qop()));
            throw challenge(client, false);
        }
        long count = nonceCount(credentials, callId);
        DigestNonces.Status status = nonces.check(credentials.nonce());
        if (status == DigestNonces.Status.INVALID
                || (credentials.opaque() != null && !credentials.opaque().equals(nonces.opaque()))) {
            LOG.info("auth callId={} user={} nonce not issued by this router: challenged again", callId, user);
            throw challenge(client, false);
        }
        if (!sameUri(credentials.uri(), request.getHeader(SipMessageConstants.REQUEST_URI, String.class))) {
            LOG.info("auth callId={} user={} digest uri is not the Request-URI (400)", callId, user);
            throw new SipResponseException(400, "Authorization uri does not match the Request-URI");
        }
        Subscriber subscriber = verified(credentials, algorithm.get(),
                request.getHeader(SipMessageConstants.METHOD, String.class), callId, client.host());
        if (status == DigestNonces.Status.STALE) {
            LOG.info("auth callId={} user={} nonce expired: challenged with stale=true", callId, user);
            throw challenge(client, true);
        }
        NonceCounts.Outcome counted = counts.advance(credentials.nonce(), count, nonces.expiresAt(credentials.nonce()));
        if (counted == NonceCounts.Outcome.REPLAYED) {
            LOG.info("auth callId={} user={} nc={} already used with this nonce (replay): challenged with stale=true",
                    callId, user, LogText.of(credentials.nc()));
            throw challenge(client, true);
        }
        if (counted == NonceCounts.Outcome.FULL) {
            LOG.warn("auth callId={} user={} refused: too many live nonces (cpm.auth.max-active-nonces) (503)",
                    callId, user);
            throw new SipResponseException(503, "Too Many Authentications In Progress",
                    List.of("Retry-After: 5"));
        }
        unanswered.answered(client.host(), client.identity(), client.userAgent());
        failures.succeeded(client.host());
        LOG.debug("auth callId={} user={} algorithm={} authenticated as {}", callId, user, algorithm.get().token(),
                subscriber.publicIdentity());
        return subscriber;
    }

    /** The credentials of the request for our realm, if any (others may be for another hop's realm). */
    private DigestAuthorization credentialsForRealm(Message request, String callId) {
        List<String> values = new ArrayList<>();
        for (String header : List.of("Authorization", "Proxy-Authorization")) {
            Object value = request.getHeader(header);
            if (value instanceof List<?> list) {
                list.forEach(v -> values.add(String.valueOf(v)));
            } else if (value != null) {
                values.add(value.toString());
            }
        }
        for (String value : values) {
            Optional<DigestAuthorization> parsed;
            try {
                parsed = DigestAuthorization.parse(value);
            } catch (IllegalArgumentException e) {
                LOG.info("auth callId={} unreadable credentials: {} (400)", callId, LogText.of(e.getMessage()));
                throw new SipResponseException(400, "Malformed Authorization");
            }
            if (parsed.isPresent() && realm.equals(parsed.get().realm())) {
                return parsed.get();
            }
        }
        return null;
    }

    private static long nonceCount(DigestAuthorization credentials, String callId) {
        if (credentials.cnonce() == null || credentials.cnonce().isEmpty() || credentials.nc() == null
                || !credentials.nc().matches("[0-9a-fA-F]{8}")) {
            LOG.info("auth callId={} user={} qop=auth without a cnonce and an 8-digit nc (400)", callId,
                    LogText.of(credentials.username()));
            throw new SipResponseException(400, "Malformed Authorization");
        }
        return Long.parseLong(credentials.nc(), 16);
    }

    /**
     * The subscriber the username names, if the digest proves the password; else 403, one security event line and
     * a failure counted against the source ({@link AuthFailures}).
     */
    private Subscriber verified(DigestAuthorization credentials, DigestAlgorithm algorithm, String method,
                                String callId, String source) {
        String user = credentials.username();
        Optional<Subscriber> found = subscribers.findByDigestUsername(user);
        if (found.isEmpty()) {
            failures.failed(source, user, callId, "no subscriber has credentials for this username"
                    + LogText.of(hintWithoutCredentials(user)));
            throw new SipResponseException(403, FAILED);
        }
        DigestCredentials stored = found.get().credentials();
        if (!stored.realm().equals(realm)) {
            LOG.warn("auth callId={} user={} credentials stored for realm {}, this router's is {}; set the password "
                    + "again", callId, LogText.of(user), stored.realm(), realm);
            failures.failed(source, user, callId, "credentials stored for another realm");
            throw new SipResponseException(403, FAILED);
        }
        String ha1 = algorithm == DigestAlgorithm.MD5 ? stored.ha1Md5() : stored.ha1Sha256();
        String expected = algorithm.response(ha1, credentials.nonce(), credentials.nc(), credentials.cnonce(), "auth",
                method, credentials.uri());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                credentials.response().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            failures.failed(source, user, callId, "wrong digest");
            throw new SipResponseException(403, FAILED);
        }
        return found.get();
    }

    /** Says when the username is a subscriber's default one but that subscriber has no credentials. */
    private String hintWithoutCredentials(String user) {
        String identity = "sip:" + user + "@" + realm;
        return subscribers.findByIdentity(identity).filter(s -> !s.hasCredentials())
                .map(s -> "; " + identity + " has none: set one with cpm-admin subscribers set-password " + user)
                .orElse("");
    }

    /** 401 with a fresh nonce, one challenge per algorithm this client is offered, in order of preference. */
    SipResponseException challenge(Client client, boolean stale) {
        String nonce = nonces.issue();
        List<String> headers = new ArrayList<>();
        for (DigestAlgorithm a : choice.offeredTo(client.userAgent())) {
            headers.add("WWW-Authenticate: "
                    + new DigestChallenge(realm, nonce, nonces.opaque(), a, "auth", stale).toHeaderValue());
        }
        return new SipResponseException(401, "Unauthorized", headers);
    }

    /** The digest uri and the Request-URI name the same resource: the same text, or equal SIP URIs (RFC 3261 19.1.4). */
    private boolean sameUri(String digestUri, String requestUri) {
        if (digestUri.equals(requestUri)) {
            return true;
        }
        try {
            return requestUri != null && uris.createURI(digestUri).equals(uris.createURI(requestUri));
        } catch (java.text.ParseException e) {
            return false;
        }
    }
}
