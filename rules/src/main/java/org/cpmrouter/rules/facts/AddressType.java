package org.cpmrouter.rules.facts;

/** What kind of address the target URI is, as derived by the classification rules. */
public enum AddressType {
    /** A CPM user known to the subscriber store. */
    CPM_USER,
    /** A pre-defined CPM group hosted by the Controlling Function. */
    PREDEFINED_GROUP,
    /** A user reachable only through an Interworking Function. */
    NON_CPM_USER,
    /** The URI-list service (RFC 5365): the message goes to every address of the list it carries. */
    URI_LIST,
    /** Nothing we know. */
    UNKNOWN
}
