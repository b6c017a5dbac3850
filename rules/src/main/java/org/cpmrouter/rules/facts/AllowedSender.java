package org.cpmrouter.rules.facts;

import java.util.Objects;

/** The sender is on the group's allow list: inserted by Java at the Controlling Function when it is. Immutable. */
public final class AllowedSender {

    private final String groupUri;
    private final String identity;

    public AllowedSender(String groupUri, String identity) {
        this.groupUri = Objects.requireNonNull(groupUri, "groupUri");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    public String getGroupUri() {
        return groupUri;
    }

    public String getIdentity() {
        return identity;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AllowedSender)) {
            return false;
        }
        AllowedSender that = (AllowedSender) o;
        return groupUri.equals(that.groupUri) && identity.equals(that.identity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupUri, identity);
    }

    @Override
    public String toString() {
        return "AllowedSender[" + "groupUri=" + groupUri + ", " + "identity=" + identity + "]";
    }
}
