package org.cpmrouter.rules.facts;

/**
 * What the URI-list service read from a multiple-recipient request (RFC 5365), never the addresses themselves:
 * how many distinct recipients the list names once duplicates are removed (a {@code tel:} alias of a subscriber
 * counts as the subscriber), the most the operator lets one list have ({@code cpm.uri-list.max-recipients}), and
 * how many entries are themselves URI lists (a reference to a list kept elsewhere, or this service's own address).
 * Inserted by Java at URI_LIST_AUTHORIZATION. Immutable.
 */
public final class RecipientListSize {

    private final int recipients;
    private final int maxRecipients;
    private final int nestedLists;

    public RecipientListSize(int recipients, int maxRecipients, int nestedLists) {
        if (recipients < 0 || maxRecipients < 0 || nestedLists < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        this.recipients = recipients;
        this.maxRecipients = maxRecipients;
        this.nestedLists = nestedLists;
    }

    public int getRecipients() {
        return recipients;
    }

    public int getMaxRecipients() {
        return maxRecipients;
    }

    public int getNestedLists() {
        return nestedLists;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof RecipientListSize that && recipients == that.recipients
                && maxRecipients == that.maxRecipients && nestedLists == that.nestedLists;
    }

    @Override
    public int hashCode() {
        return (recipients * 31 + maxRecipients) * 31 + nestedLists;
    }

    @Override
    public String toString() {
        return "RecipientListSize[recipients=" + recipients + ", maxRecipients=" + maxRecipients + ", nestedLists="
                + nestedLists + "]";
    }
}
