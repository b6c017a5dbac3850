package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * Decision fact: refuse the request with SIP {@code status}. Written in a rule's consequence as
 * {@code insert( new Denial( 403, "Sender is barred" ) )}; the engine knows which rule inserted it and reports that
 * rule's {@code @id}. Immutable; two denials are equal only when they are the same object, so each stays the
 * decision of the rule that wrote it.
 */
public final class Denial {

    private final int status;
    private final String reason;

    public Denial(int status, String reason) {
        this.status = status;
        this.reason = Objects.requireNonNull(reason, "reason");
        if (status < 400 || status > 699) {
            throw new IllegalArgumentException("a denial needs a SIP error status (400-699): " + status);
        }
    }

    public int getStatus() {
        return status;
    }

    public String getReason() {
        return reason;
    }

    @Override
    public String toString() {
        return "Denial[status=" + status + ", reason=" + reason + "]";
    }
}
