package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Pure functions over the binding list of one address of record, shared by the registration stores.
 * Lists are kept most recently updated first; every update drops expired bindings.
 */
final class Bindings {

    private static final Comparator<Binding> MOST_RECENT_FIRST =
            Comparator.comparingLong(Binding::updatedAtMillis).reversed();

    private Bindings() {
    }

    /** Validates bind arguments and builds the new binding. */
    static Binding newBinding(String aor, String contact, long expiresSeconds, String callId, long cseq,
                              List<String> path, String instance, long nowMillis) {
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(contact, "contact");
        if (expiresSeconds <= 0) {
            throw new IllegalArgumentException("expiresSeconds must be > 0, was " + expiresSeconds);
        }
        long expiresAt = nowMillis + Math.multiplyExact(expiresSeconds, 1000L);
        return new Binding(aor, contact, expiresAt, callId, cseq, nowMillis, path, instance);
    }

    /** Returns the active bindings, most recently updated first (stable for equal update times). */
    static List<Binding> active(List<Binding> bindings, long nowMillis) {
        if (bindings.isEmpty()) {
            return List.of();
        }
        List<Binding> result = new ArrayList<>(bindings.size());
        for (Binding b : bindings) {
            if (b.isActiveAt(nowMillis)) {
                result.add(b);
            }
        }
        result.sort(MOST_RECENT_FIRST);
        return List.copyOf(result);
    }

    /** Returns the active bindings with {@code binding} put first, replacing any binding of the same contact. */
    static List<Binding> upsert(List<Binding> bindings, Binding binding, long nowMillis) {
        List<Binding> result = new ArrayList<>(bindings.size() + 1);
        result.add(binding);
        for (Binding b : active(bindings, nowMillis)) {
            if (!b.contact().equals(binding.contact())) {
                result.add(b);
            }
        }
        return List.copyOf(result);
    }

    /** Returns the active bindings without the given contact. */
    static List<Binding> without(List<Binding> bindings, String contact, long nowMillis) {
        List<Binding> result = new ArrayList<>(bindings.size());
        for (Binding b : active(bindings, nowMillis)) {
            if (!b.contact().equals(contact)) {
                result.add(b);
            }
        }
        return List.copyOf(result);
    }

    /** Whether an active binding for the contact exists. */
    static boolean containsActive(List<Binding> bindings, String contact, long nowMillis) {
        for (Binding b : bindings) {
            if (b.contact().equals(contact) && b.isActiveAt(nowMillis)) {
                return true;
            }
        }
        return false;
    }

    /** Counts the active bindings. */
    static int countActive(List<Binding> bindings, long nowMillis) {
        int n = 0;
        for (Binding b : bindings) {
            if (b.isActiveAt(nowMillis)) {
                n++;
            }
        }
        return n;
    }

    /** Latest expiry of the list, or {@link Long#MIN_VALUE} if empty. */
    static long latestExpiry(List<Binding> bindings) {
        long latest = Long.MIN_VALUE;
        for (Binding b : bindings) {
            latest = Math.max(latest, b.expiresAtMillis());
        }
        return latest;
    }
}
