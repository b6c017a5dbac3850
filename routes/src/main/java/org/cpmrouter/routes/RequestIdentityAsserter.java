package org.cpmrouter.routes;

import java.util.Optional;

import org.apache.camel.Message;
import org.cpmrouter.sip.cpim.CpmHeaders;

/**
 * Takes the sender's identity from the request itself: {@code P-Preferred-Identity} when the client sent one,
 * else the {@code From} URI. It authenticates nobody; it stands until digest authentication replaces it
 * (the reliability and security work), and trusts only what {@link TrustedPeers} let through.
 */
public final class RequestIdentityAsserter implements IdentityAsserter {

    private final CpmAddresses addresses;

    public RequestIdentityAsserter(CpmAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    public Optional<String> identify(Message request) {
        String preferred = request.getHeader(CpmHeaders.P_PREFERRED_IDENTITY, String.class);
        String identity = addresses.canonical(preferred);
        if (identity == null) {
            identity = addresses.canonical(request.getHeader("From", String.class));
        }
        return Optional.ofNullable(identity);
    }
}
