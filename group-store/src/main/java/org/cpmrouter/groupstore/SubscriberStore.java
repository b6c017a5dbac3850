package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Optional;

/**
 * Stores CPM subscribers and resolves any of their identities (SIP URI or tel alias) to the subscriber.
 * Implementations are thread-safe.
 */
public interface SubscriberStore {

    /**
     * Finds the subscriber owning an identity.
     *
     * @param identity the public SIP URI or any tel alias, exact string
     * @return the subscriber, or empty if no subscriber owns that identity
     */
    Optional<Subscriber> findByIdentity(String identity);

    /**
     * Finds the subscriber whose digest credentials carry this username (the SIP/IP Core authenticating a client).
     * This default scans every subscriber; the stores of this module answer from their index.
     *
     * @return the subscriber, or empty if none has credentials for that username
     */
    default Optional<Subscriber> findByDigestUsername(String username) {
        return list().stream()
                .filter(s -> s.hasCredentials() && s.credentials().username().equals(username))
                .findFirst();
    }

    /**
     * Creates or replaces a subscriber (keyed by its public identity) and keeps the alias index right:
     * aliases that were removed no longer resolve.
     *
     * @throws IllegalArgumentException if one of its identities already belongs to another subscriber;
     *                                  nothing is changed in that case
     */
    void save(Subscriber subscriber);

    /**
     * Removes a subscriber and all of its aliases.
     *
     * @return true if a subscriber was removed
     */
    boolean remove(String publicIdentity);

    /** Returns all subscribers sorted by public identity. */
    List<Subscriber> list();

    /** Returns the number of subscribers. */
    long count();
}
