package org.cpmrouter.routes.auth;

import java.util.Optional;

import org.apache.camel.Message;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.sip.cpim.CpmHeaders;

/**
 * Takes the sender's identity from the request itself: {@code P-Preferred-Identity} when the client sent one,
 * else the {@code From} URI. It authenticates nobody: the core uses it when client authentication is off
 * ({@code cpm.auth.enabled=false}), for a trusted peer's request that asserts no identity, and in dry runs of
 * captured requests; otherwise {@link AuthenticatedIdentityAsserter} decides.
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
