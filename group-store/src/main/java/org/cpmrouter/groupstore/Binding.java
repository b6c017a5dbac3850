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
 * @param instance        the device's {@code +sip.instance} (RFC 5626), such as {@code <urn:uuid:...>}; empty when
 *                        the contact carried none
 */
public record Binding(String aor, String contact, long expiresAtMillis, String callId, long cseq, long updatedAtMillis,
                      List<String> path, String instance) {

    /** A binding registered directly, without a {@code Path} or an instance. */
    public Binding(String aor, String contact, long expiresAtMillis, String callId, long cseq, long updatedAtMillis) {
        this(aor, contact, expiresAtMillis, callId, cseq, updatedAtMillis, List.of(), "");
    }

    /**
     * The device this binding reaches, for what it is owed: its {@code +sip.instance} when it registered one (the
     * same device keeps it across contacts and restarts), else its contact URI.
     */
    public String device() {
        return instance.isEmpty() ? contact : instance;
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
        instance = instance == null ? "" : instance;
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
