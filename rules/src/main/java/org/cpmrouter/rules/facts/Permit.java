package org.cpmrouter.rules.facts;

import java.util.Objects;

/** Decision fact: the rule {@code ruleId} allows the request. Immutable. */
public final class Permit {

    private final String ruleId;

    public Permit(String ruleId) {
        this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
    }

    public String getRuleId() {
        return ruleId;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Permit)) {
            return false;
        }
        Permit that = (Permit) o;
        return ruleId.equals(that.ruleId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ruleId);
    }

    @Override
    public String toString() {
        return "Permit[" + "ruleId=" + ruleId + "]";
    }
}
