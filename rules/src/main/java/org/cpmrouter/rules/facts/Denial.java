package org.cpmrouter.rules.facts;

import java.util.Objects;

/** Decision fact: the rule {@code ruleId} refuses the request with SIP {@code status}. Immutable. */
public final class Denial {

    private final String ruleId;
    private final int status;
    private final String reason;

    public Denial(String ruleId, int status, String reason) {
        this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
        this.status = status;
        this.reason = Objects.requireNonNull(reason, "reason");
        if (status < 400 || status > 699) {
            throw new IllegalArgumentException("a denial needs a SIP error status (400-699): " + status);
        }
    }

    public String getRuleId() {
        return ruleId;
    }

    public int getStatus() {
        return status;
    }

    public String getReason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Denial)) {
            return false;
        }
        Denial that = (Denial) o;
        return ruleId.equals(that.ruleId)
                && status == that.status
                && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ruleId, status, reason);
    }

    @Override
    public String toString() {
        return "Denial[" + "ruleId=" + ruleId + ", " + "status=" + status + ", " + "reason=" + reason + "]";
    }
}
