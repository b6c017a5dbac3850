package org.cpmrouter.rules.facts;

/** Who may send to a Pre-defined Group, as the rules see it. */
public enum GroupSendPolicy {
    /** Only members (the default). */
    MEMBERS_ONLY,
    /** Any subscriber of the home domain. */
    DOMAIN_SUBSCRIBERS,
    /** Only identities on the group's allow list. */
    ALLOW_LIST
}
