package org.cpmrouter.routes.auth;

import java.util.Optional;

import org.apache.camel.Message;

/**
 * How the SIP/IP Core establishes who sent a request, before it asserts that identity in
 * {@code P-Asserted-Identity}: the authenticated subscriber ({@link AuthenticatedIdentityAsserter}), or with
 * authentication off what the request says ({@link RequestIdentityAsserter}).
 */
@FunctionalInterface
public interface IdentityAsserter {

    /** The sender's canonical identity, or empty when it cannot be established (the request is then refused). */
    Optional<String> identify(Message request);
}
