package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A CPM subscriber: its canonical SIP URI, its tel URI aliases, its service flags and the credentials its clients
 * authenticate with. Identities are exact strings; callers normalize them before storing or looking them up.
 *
 * @param publicIdentity the canonical SIP URI, e.g. {@code sip:alice@cpm.example.com}
 * @param telAliases     further identities of the same subscriber, e.g. {@code tel:+15551230001}
 * @param cpmEnabled     whether the subscriber may use CPM messaging
 * @param barred         whether the subscriber is barred (administratively blocked)
 * @param credentials    digest credentials (hashes, never the password); {@code null} when none are set, and such a
 *                       subscriber cannot authenticate
 */
public record Subscriber(String publicIdentity, List<String> telAliases, boolean cpmEnabled, boolean barred,
                         DigestCredentials credentials) {

    /**
     * Validates the identities and copies the alias list immutably.
     *
     * @throws NullPointerException     if the identity, the list or one of its elements is null
     * @throws IllegalArgumentException if an identity is blank or appears twice
     */
    public Subscriber {
        Objects.requireNonNull(publicIdentity, "publicIdentity");
        Objects.requireNonNull(telAliases, "telAliases");
        telAliases = List.copyOf(telAliases); // rejects null elements
        if (publicIdentity.isBlank()) {
            throw new IllegalArgumentException("publicIdentity must not be blank");
        }
        Set<String> seen = new HashSet<>();
        seen.add(publicIdentity);
        for (String alias : telAliases) {
            if (alias.isBlank()) {
                throw new IllegalArgumentException("blank alias for " + publicIdentity);
            }
            if (!seen.add(alias)) {
                throw new IllegalArgumentException("duplicate identity " + alias + " for " + publicIdentity);
            }
        }
    }

    /** A subscriber without credentials. */
    public Subscriber(String publicIdentity, List<String> telAliases, boolean cpmEnabled, boolean barred) {
        this(publicIdentity, telAliases, cpmEnabled, barred, null);
    }

    /** The same subscriber with these credentials ({@code null}: none). */
    public Subscriber withCredentials(DigestCredentials newCredentials) {
        return new Subscriber(publicIdentity, telAliases, cpmEnabled, barred, newCredentials);
    }

    public boolean hasCredentials() {
        return credentials != null;
    }

    /**
     * Returns every identity of this subscriber: the public identity followed by the aliases.
     *
     * @return an immutable list, never empty
     */
    public List<String> identities() {
        List<String> all = new ArrayList<>(telAliases.size() + 1);
        all.add(publicIdentity);
        all.addAll(telAliases);
        return List.copyOf(all);
    }
}
