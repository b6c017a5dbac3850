package org.cpmrouter.groupstore;

import java.util.List;

/**
 * Keeps the contact bindings of addresses of record (an RFC 3261 location service).
 * Expired bindings are never returned; implementations are thread-safe.
 */
public interface RegistrationStore {

    /**
     * Returns the unexpired bindings of an address of record, most recently updated first.
     *
     * @return an immutable list, empty if none
     */
    List<Binding> activeBindings(String aor);

    /**
     * Adds the binding for a contact, or refreshes it if the same contact URI string is already bound.
     *
     * @param expiresSeconds lifetime in seconds, must be &gt; 0
     * @return the stored binding
     * @throws IllegalArgumentException if expiresSeconds is not positive
     */
    default Binding bind(String aor, String contact, long expiresSeconds, String callId, long cseq) {
        return bind(aor, contact, expiresSeconds, callId, cseq, List.of());
    }

    /**
     * As {@link #bind(String, String, long, String, long)}, for a REGISTER that came through proxies which asked to
     * stay on the path to this contact (RFC 3327): requests to it are routed through {@code path}, in order.
     */
    default Binding bind(String aor, String contact, long expiresSeconds, String callId, long cseq, List<String> path) {
        return bind(aor, contact, expiresSeconds, callId, cseq, path, "");
    }

    /** As above, for a device that named its {@code +sip.instance} (RFC 5626; empty: none). */
    Binding bind(String aor, String contact, long expiresSeconds, String callId, long cseq, List<String> path,
                 String instance);

    /**
     * Removes one contact of an address of record.
     *
     * @return true if an active binding was removed
     */
    boolean unbind(String aor, String contact);

    /**
     * Removes every contact of an address of record.
     *
     * @return how many active bindings were removed
     */
    int unbindAll(String aor);
}
