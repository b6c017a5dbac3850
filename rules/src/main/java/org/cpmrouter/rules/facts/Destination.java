package org.cpmrouter.rules.facts;

/** Where a routing decision sends the request next. */
public enum Destination {
    /** The terminating Participating Function of the target CPM user. */
    PARTICIPATING_TERMINATING,
    /** The Controlling Function hosting a pre-defined group. */
    CONTROLLING_FUNCTION,
    /** The URI-list service, which sends one copy to each address of the list the request carries (RFC 5365). */
    URI_LIST_SERVICE,
    /** The Interworking Function towards a non-CPM service. */
    INTERWORKING,
    /** The recipient's registered CPM client(s). */
    RECIPIENT_CLIENT,
    /**
     * Held for the recipient, who has no client that can take it now: the sender gets {@code 202 Accepted} and the
     * message goes to the recipient's clients when they register (deferred delivery).
     */
    DEFERRED_STORE
}
