package org.cpmrouter.routes.auth;

import org.apache.camel.Processor;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.routes.path.CpmAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the SIP/IP Core knows who sends, as configured: with {@code cpm.auth.enabled=true} the ingress authenticates
 * clients ({@link ClientAuthentication}) and the core asserts the authenticated identity
 * ({@link AuthenticatedIdentityAsserter}); with {@code false} nothing is challenged and the core takes the identity
 * the request states ({@link RequestIdentityAsserter}), for benchmarks and tests that are about something else.
 *
 * @param ingressStep      the SIP ingress' authentication step (does nothing when authentication is off)
 * @param identityAsserter what the core's originating leg asserts
 */
public record CoreAuthentication(Processor ingressStep, IdentityAsserter identityAsserter) {

    private static final Logger LOG = LoggerFactory.getLogger(CoreAuthentication.class);

    public static CoreAuthentication from(DigestAuthSettings settings, SubscriberStore subscribers, CpmAddresses addresses,
                                   TrustedPeers trustedPeers, AuthFailures failures) {
        if (!settings.enabled()) {
            LOG.warn("client authentication is OFF (cpm.auth.enabled=false): the core believes the From of any "
                    + "client; never run so outside tests and benchmarks");
            return new CoreAuthentication(exchange -> { }, new RequestIdentityAsserter(addresses));
        }
        DigestNonces nonces = new DigestNonces(settings.nonceSecret(), settings.nonceTtlSeconds(),
                System::currentTimeMillis);
        ChallengeChoice choice = ChallengeChoice.from(settings);
        DigestAuthenticator authenticator = new DigestAuthenticator(subscribers, settings.realm(), choice,
                new UnansweredChallenges(System::currentTimeMillis), nonces,
                new NonceCounts(settings.maxActiveNonces(), System::currentTimeMillis), failures);
        ClientAuthentication authentication = new ClientAuthentication(authenticator, trustedPeers, addresses);
        LOG.info("client authentication: SIP digest, realm {}, algorithms {}, nonces live {} s, nonce key {}",
                settings.realm(), choice.describe(),
                settings.nonceTtlSeconds(), settings.nonceSecret().isEmpty()
                        ? "random for this process (set cpm.auth.nonce-secret to share it across nodes)"
                        : "from cpm.auth.nonce-secret");
        return new CoreAuthentication(authentication::check,
                new AuthenticatedIdentityAsserter(authentication, addresses));
    }
}
