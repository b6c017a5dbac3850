package org.cpmrouter.groupstore;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.infinispan.Cache;

/**
 * A {@link RegistrationStore} over the Infinispan cache {@code registrations} (AOR -&gt; all its bindings).
 *
 * <p>Updates are optimistic compare-and-set loops ({@code putIfAbsent} / {@code replace(key, old, new)} /
 * {@code remove(key, old)}) rather than {@code compute}: the entry lifespan must equal the latest expiry of the
 * <em>resulting</em> bindings, which only these operations can set together with the value, and they ship
 * plain values (no lambdas) so they stay valid once the cache is clustered.
 */
public final class InfinispanRegistrationStore implements RegistrationStore {

    /** Name of the cache holding the bindings of each address of record. */
    public static final String REGISTRATIONS_CACHE = "registrations";

    private final Cache<String, RegistrationEntity> cache;
    private final Clock clock;
    /**
     * Every binding of an address of record as last written, decoded, for delivery, which reads them for each
     * message; a write or expiry of the entry drops it, and the bindings that have expired since are filtered out
     * at each read, as before.
     */
    private final DecodedReadCache<List<Binding>> decoded = new DecodedReadCache<>(DecodedReadCache.STORE_ENTRIES);

    InfinispanRegistrationStore(Cache<String, RegistrationEntity> cache, Clock clock) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
        decoded.dropKeyOnWrite(cache);
    }

    @Override
    public List<Binding> activeBindings(String aor) {
        Objects.requireNonNull(aor, "aor");
        List<Binding> bindings = decoded.get(aor, key -> {
            RegistrationEntity entity = cache.get(key);
            return entity == null ? List.of() : entity.toBindings(key);
        });
        return Bindings.active(bindings, clock.millis());
    }

    @Override
    public Binding bind(String aor, String contact, long expiresSeconds, String callId, long cseq,
                        List<String> path, String instance) {
        long now = clock.millis();
        Binding binding = Bindings.newBinding(aor, contact, expiresSeconds, callId, cseq, path, instance, now);
        while (true) {
            RegistrationEntity old = cache.get(aor);
            List<Binding> updated = Bindings.upsert(old == null ? List.of() : old.toBindings(aor), binding, now);
            if (write(aor, old, updated, now)) {
                return binding;
            }
        }
    }

    @Override
    public boolean unbind(String aor, String contact) {
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(contact, "contact");
        long now = clock.millis();
        while (true) {
            RegistrationEntity old = cache.get(aor);
            if (old == null) {
                return false;
            }
            List<Binding> current = old.toBindings(aor);
            boolean removed = Bindings.containsActive(current, contact, now);
            if (write(aor, old, Bindings.without(current, contact, now), now)) {
                return removed;
            }
        }
    }

    @Override
    public int unbindAll(String aor) {
        Objects.requireNonNull(aor, "aor");
        long now = clock.millis();
        RegistrationEntity old = cache.remove(aor);
        return old == null ? 0 : Bindings.countActive(old.toBindings(aor), now);
    }

    /**
     * Atomically replaces {@code old} (null = absent) by {@code bindings}, with a lifespan ending at the latest expiry;
     * an empty list removes the entry.
     *
     * @return false if the entry changed since {@code old} was read (the caller retries)
     */
    private boolean write(String aor, RegistrationEntity old, List<Binding> bindings, long now) {
        if (bindings.isEmpty()) {
            return old == null || cache.remove(aor, old);
        }
        RegistrationEntity next = RegistrationEntity.from(bindings);
        long lifespanMillis = Bindings.latestExpiry(bindings) - now; // > 0: only active bindings are kept
        if (old == null) {
            return cache.putIfAbsent(aor, next, lifespanMillis, TimeUnit.MILLISECONDS) == null;
        }
        return cache.replace(aor, old, next, lifespanMillis, TimeUnit.MILLISECONDS);
    }
}
