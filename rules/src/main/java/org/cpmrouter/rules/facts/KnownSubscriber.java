package org.cpmrouter.rules.facts;

import java.util.Objects;

/** A subscriber found in the store for the sender or the target; inserted by Java. Immutable. */
public final class KnownSubscriber {

    private final String identity;
    private final Party party;
    private final boolean cpmEnabled;
    private final boolean barred;

    public KnownSubscriber(String identity, Party party, boolean cpmEnabled, boolean barred) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.party = Objects.requireNonNull(party, "party");
        this.cpmEnabled = cpmEnabled;
        this.barred = barred;
    }

    public String getIdentity() {
        return identity;
    }

    public Party getParty() {
        return party;
    }

    public boolean isCpmEnabled() {
        return cpmEnabled;
    }

    public boolean isBarred() {
        return barred;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof KnownSubscriber)) {
            return false;
        }
        KnownSubscriber that = (KnownSubscriber) o;
        return identity.equals(that.identity)
                && party == that.party
                && cpmEnabled == that.cpmEnabled
                && barred == that.barred;
    }

    @Override
    public int hashCode() {
        return Objects.hash(identity, party, cpmEnabled, barred);
    }

    @Override
    public String toString() {
        return "KnownSubscriber[" + "identity=" + identity + ", " + "party=" + party + ", " + "cpmEnabled=" + cpmEnabled + ", " + "barred=" + barred + "]";
    }
}
