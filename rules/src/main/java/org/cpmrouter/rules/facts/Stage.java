package org.cpmrouter.rules.facts;

/** The decision point that is asking the policy engine for a decision. */
public enum Stage {
    /** The originating Participating Function authorizing the sender. */
    ORIGINATING_AUTHORIZATION,
    /** The SIP/IP Core routing the request by the type of the target address. */
    ADDRESS_ROUTING,
    /** The terminating Participating Function authorizing delivery to the recipient. */
    TERMINATING_AUTHORIZATION,
    /** The SIP/IP Core delivering the request to the recipient's registered client. */
    RECIPIENT_DELIVERY,
    /** The Controlling Function hosting a Pre-defined Group authorizing the sender against the group. */
    CONTROLLING_AUTHORIZATION,
    /**
     * The URI-list service deciding whether the sender may have its message sent to the list it carries (RFC 5365):
     * who the sender is, how many recipients, whether the list names another list.
     */
    URI_LIST_AUTHORIZATION,
    /** The Interworking Function choosing the non-CPM service (SMS, MMS) that carries a message to a non-CPM user. */
    INTERWORKING_SELECTION,
    /**
     * The network deciding whether to send a message's sender a delivery report (IMDN, RFC 5438) about it: Permit
     * sends it, Denial sends none (its status is not sent anywhere).
     */
    DELIVERY_REPORT
}
