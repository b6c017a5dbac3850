package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * Decision fact: the rule {@code ruleId} sends the message to a non-CPM user over the non-CPM communication
 * service {@code service} (for example {@code SMS}). Written by interworking-selection.drl only. Immutable.
 */
public final class ServiceChoice {

    private final String ruleId;
    private final String service;

    public ServiceChoice(String ruleId, String service) {
        this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
        this.service = Objects.requireNonNull(service, "service");
    }

    public String getRuleId() {
        return ruleId;
    }

    public String getService() {
        return service;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ServiceChoice that && ruleId.equals(that.ruleId)
                && service.equals(that.service);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ruleId, service);
    }

    @Override
    public String toString() {
        return "ServiceChoice[ruleId=" + ruleId + ", service=" + service + "]";
    }
}
