package org.cpmrouter.routes;

import java.util.Optional;

import org.apache.camel.Message;

/**
 * How the SIP/IP Core establishes who sent a request, before it asserts that identity in
 * {@code P-Asserted-Identity}. The seam where digest authentication plugs in.
 */
@FunctionalInterface
public interface IdentityAsserter {

    /** The sender's canonical identity, or empty when it cannot be established (the request is then refused). */
    Optional<String> identify(Message request);
}
