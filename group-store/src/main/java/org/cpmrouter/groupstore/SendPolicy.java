package org.cpmrouter.groupstore;

/** Who may send a CPM Message to a Pre-defined Group. */
public enum SendPolicy {
    /** Only the group's members (the default). */
    MEMBERS_ONLY,
    /** Any subscriber of the group's home domain. */
    DOMAIN_SUBSCRIBERS,
    /** Only the identities in the group's allow list. */
    ALLOW_LIST
}
