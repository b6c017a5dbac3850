package org.cpmrouter.rules.facts;

import java.util.Objects;

/** The target has at least one active registration; inserted by Java at RECIPIENT_DELIVERY. Immutable. */
public final class RegisteredClient {

    private final String identity;
    private final int contactCount;

    public RegisteredClient(String identity, int contactCount) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.contactCount = contactCount;
        if (contactCount < 0) {
            throw new IllegalArgumentException("contactCount must not be negative: " + contactCount);
        }
    }

    public String getIdentity() {
        return identity;
    }

    public int getContactCount() {
        return contactCount;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RegisteredClient)) {
            return false;
        }
        RegisteredClient that = (RegisteredClient) o;
        return identity.equals(that.identity)
                && contactCount == that.contactCount;
    }

    @Override
    public int hashCode() {
        return Objects.hash(identity, contactCount);
    }

    @Override
    public String toString() {
        return "RegisteredClient[" + "identity=" + identity + ", " + "contactCount=" + contactCount + "]";
    }
}
