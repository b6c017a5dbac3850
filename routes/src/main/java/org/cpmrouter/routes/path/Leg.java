package org.cpmrouter.routes.path;

/**
 * Where a MESSAGE stands on the path of clause 5.2.2.1, as the SIP/IP Core reads it from the
 * {@code P-Served-User} marker ({@link ServedUserMarker}). The core sends each leg once: a leg that is done is
 * never started again.
 */
public enum Leg {
    /** From a client, no leg done: the core routes it to the sender's Conversation Server. */
    NEW,
    /** Addressed to the originating Participating Function (arrived over SIP from a core elsewhere). */
    AT_ORIGINATING_PARTICIPATING,
    /** The originating leg is done: the core routes by the target's address type. */
    ORIGINATING_DONE,
    /** Addressed to the terminating Participating Function. */
    AT_TERMINATING_PARTICIPATING,
    /** The terminating leg is done: the core delivers to the recipient's registered client. */
    TERMINATING_DONE
}
