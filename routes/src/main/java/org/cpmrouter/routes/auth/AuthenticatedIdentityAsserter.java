package org.cpmrouter.routes.auth;

import java.util.Optional;

import org.apache.camel.Message;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.sip.cpim.CpmHeaders;

/**
 * The sender's identity when clients authenticate ({@code cpm.auth.enabled=true}): the one their credentials proved
 * at the ingress ({@link ClientAuthentication}). A request from a trusted peer was not challenged: its
 * {@code P-Asserted-Identity} (RFC 3325) is believed, or, without one, what the request says
 * ({@link RequestIdentityAsserter}). Anything else has no identity, and the core refuses it.
 */
public final class AuthenticatedIdentityAsserter implements IdentityAsserter {

    private final ClientAuthentication authentication;
    private final CpmAddresses addresses;
    private final RequestIdentityAsserter fromRequest;

    AuthenticatedIdentityAsserter(ClientAuthentication authentication, CpmAddresses addresses) {
        this.authentication = authentication;
        this.addresses = addresses;
        this.fromRequest = new RequestIdentityAsserter(addresses);
    }

    @Override
    public Optional<String> identify(Message request) {
        String authenticated = request.getExchange().getProperty(ClientAuthentication.AUTHENTICATED_IDENTITY,
                String.class);
        if (authenticated != null) {
            return Optional.of(authenticated);
        }
        if (!authentication.fromTrustedPeer(request)) {
            return Optional.empty();
        }
        String asserted = addresses.canonical(request.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class));
        return asserted != null ? Optional.of(asserted) : fromRequest.identify(request);
    }
}
