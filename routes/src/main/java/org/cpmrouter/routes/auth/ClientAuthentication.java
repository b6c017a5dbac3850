package org.cpmrouter.routes.auth;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.SecurityEvents;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;

/**
 * Authentication at the SIP ingress, before any rule sees the request: a REGISTER or MESSAGE from a client (any
 * source that is not a trusted peer; other router nodes and an IMS core in front assert identities themselves, and
 * the router's own roles reach it over SIP only as trusted peers) must carry digest credentials
 * ({@link DigestAuthenticator}), and then may only speak for the subscriber they belong to:
 *
 * <ul>
 * <li>MESSAGE: {@code From} must be one of that subscriber's identities (its SIP URI or a tel alias), and so must
 *     a {@code P-Preferred-Identity}; else {@code 403 From does not match the authenticated identity};</li>
 * <li>REGISTER: the address of record ({@code To}) must be the subscriber's; else {@code 403}.</li>
 * </ul>
 *
 * The identity the core then asserts in {@code P-Asserted-Identity} is the authenticated subscriber's (the
 * preferred identity when it named one of its own), left in the exchange property {@link #AUTHENTICATED_IDENTITY}
 * for {@link AuthenticatedIdentityAsserter}. The credentials are removed so they travel no further.
 */
public final class ClientAuthentication {

    /** Exchange property: the identity the credentials of this request proved. */
    static final String AUTHENTICATED_IDENTITY = "cpmAuthenticatedIdentity";

    private final DigestAuthenticator authenticator;
    private final TrustedPeers trustedPeers;
    private final CpmAddresses addresses;

    ClientAuthentication(DigestAuthenticator authenticator, TrustedPeers trustedPeers, CpmAddresses addresses) {
        this.authenticator = authenticator;
        this.trustedPeers = trustedPeers;
        this.addresses = addresses;
    }

    /** The ingress step: authenticates the request and binds its identity, or refuses it. */
    void check(Exchange exchange) {
        Message request = exchange.getMessage();
        String method = request.getHeader(SipMessageConstants.METHOD, String.class);
        boolean challengeable = "MESSAGE".equals(method) || "REGISTER".equals(method);
        if (!challengeable || fromTrustedPeer(request)) {
            return;
        }
        Subscriber subscriber = authenticator.authenticate(request, clientOf(request, method));
        String identity = "REGISTER".equals(method) ? registrationOf(request, subscriber) : senderOf(request, subscriber);
        exchange.setProperty(AUTHENTICATED_IDENTITY, identity);
        request.removeHeader("Authorization");
        request.removeHeader("Proxy-Authorization");
    }

    /** The client as challenges see it: source host, claimed identity (REGISTER: To, else From), User-Agent. */
    private DigestAuthenticator.Client clientOf(Message request, String method) {
        String claimed = request.getHeader("REGISTER".equals(method) ? "To" : "From", String.class);
        return new DigestAuthenticator.Client(request.getHeader(SipMessageConstants.REMOTE_ADDRESS, "", String.class),
                addresses.canonical(claimed), request.getHeader("User-Agent", String.class));
    }

    boolean fromTrustedPeer(Message request) {
        return trustedPeers.isTrusted(request.getHeader(SipMessageConstants.REMOTE_ADDRESS, "", String.class),
                request.getHeader(SipMessageConstants.REMOTE_PORT, 0, Integer.class));
    }

    /** MESSAGE: the identity to assert, once From (and any P-Preferred-Identity) are the subscriber's own. */
    private String senderOf(Message request, Subscriber subscriber) {
        String from = addresses.canonical(request.getHeader("From", String.class));
        if (!owns(subscriber, from)) {
            throw refuse(request, subscriber, "From " + from, "From does not match the authenticated identity");
        }
        String preferredHeader = request.getHeader(CpmHeaders.P_PREFERRED_IDENTITY, String.class);
        if (preferredHeader == null) {
            return subscriber.publicIdentity();
        }
        String preferred = addresses.canonical(preferredHeader);
        if (!owns(subscriber, preferred)) {
            throw refuse(request, subscriber, "P-Preferred-Identity " + preferred,
                    "P-Preferred-Identity does not match the authenticated identity");
        }
        return preferred;
    }

    /** REGISTER: the address of record must be the subscriber's. */
    private String registrationOf(Message request, Subscriber subscriber) {
        String aor = addresses.canonical(request.getHeader("To", String.class));
        if (!owns(subscriber, aor)) {
            throw refuse(request, subscriber, "address of record " + aor,
                    "To does not match the authenticated identity");
        }
        return subscriber.publicIdentity();
    }

    private static boolean owns(Subscriber subscriber, String identity) {
        return Optional.ofNullable(identity).map(subscriber.identities()::contains).orElse(false);
    }

    private static SipResponseException refuse(Message request, Subscriber subscriber, String claimed, String reason) {
        SecurityEvents.refused(request.getHeader(SipMessageConstants.REMOTE_ADDRESS, "", String.class),
                "identity-mismatch", 403, subscriber.publicIdentity(), String.valueOf(request.getHeader("Call-ID")),
                "authenticated as " + subscriber.publicIdentity() + " but " + LogText.of(claimed) + " is not theirs");
        return new SipResponseException(403, reason);
    }
}
