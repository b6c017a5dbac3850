package org.cpmrouter.rules.facts;

import java.util.Objects;

/** Decision fact: the rule {@code ruleId} sends the request to {@code destination}. Immutable. */
public final class Route {

    private final String ruleId;
    private final Destination destination;

    public Route(String ruleId, Destination destination) {
        this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
        this.destination = Objects.requireNonNull(destination, "destination");
    }

    public String getRuleId() {
        return ruleId;
    }

    public Destination getDestination() {
        return destination;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Route)) {
            return false;
        }
        Route that = (Route) o;
        return ruleId.equals(that.ruleId)
                && destination == that.destination;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ruleId, destination);
    }

    @Override
    public String toString() {
        return "Route[" + "ruleId=" + ruleId + ", " + "destination=" + destination + "]";
    }
}
