package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Objects;

/**
 * One contact binding of an address of record, as kept by an RFC 3261 registrar.
 *
 * @param aor             the address of record (the registered public identity)
 * @param contact         the contact URI, compared as an exact string
 * @param expiresAtMillis epoch milliseconds at which the binding expires
 * @param callId          the Call-ID of the REGISTER that created or refreshed the binding
 * @param cseq            the CSeq number of that REGISTER
 * @param updatedAtMillis epoch milliseconds of the last create or refresh
 * @param path            the REGISTER's {@code Path} entries in order (RFC 3327), each a name-addr such as
 *                        {@code <sip:pcscf.example.net;lr>}: requests to this contact are routed through them; empty
 *                        when the client registered directly
 */
public record Binding(String aor, String contact, long expiresAtMillis, String callId, long cseq, long updatedAtMillis,
                      List<String> path) {

    /** A binding registered directly, without a {@code Path}. */
    public Binding(String aor, String contact, long expiresAtMillis, String callId, long cseq, long updatedAtMillis) {
        this(aor, contact, expiresAtMillis, callId, cseq, updatedAtMillis, List.of());
    }

    /**
     * Validates the binding.
     *
     * @throws NullPointerException     if aor, contact or callId is null
     * @throws IllegalArgumentException if aor or contact is blank
     */
    public Binding {
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(callId, "callId");
        if (aor.isBlank() || contact.isBlank()) {
            throw new IllegalArgumentException("aor and contact must not be blank");
        }
        path = path == null ? List.of() : List.copyOf(path);
    }

    /**
     * Seconds left before this binding expires, rounded up (a binding with 1 ms left still reports 1 s).
     *
     * @param nowMillis the current time in epoch milliseconds
     * @return the remaining seconds, 0 once expired
     */
    public long remainingSeconds(long nowMillis) {
        long remainingMillis = expiresAtMillis - nowMillis;
        return remainingMillis <= 0 ? 0 : (remainingMillis + 999) / 1000;
    }

    /** Whether this binding is still active at the given time. */
    boolean isActiveAt(long nowMillis) {
        return expiresAtMillis > nowMillis;
    }
}
