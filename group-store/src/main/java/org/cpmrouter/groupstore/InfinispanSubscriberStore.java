package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Optional;

import org.infinispan.Cache;

/**
 * A {@link SubscriberStore} over two Infinispan caches: {@code subscribers} (public identity -&gt; subscriber)
 * and {@code subscriber-identities} (every identity -&gt; public identity). A lookup reads the index, then the
 * subscriber; identities are claimed with {@code putIfAbsent} and released with conditional {@code remove}.
 * Lookups are answered from {@link DecodedReadCache}s of decoded subscribers that any write to either cache
 * drops.
 */
public final class InfinispanSubscriberStore extends IndexedSubscriberStore<SubscriberEntity> {

    /** Name of the cache holding subscribers keyed by public identity. */
    public static final String SUBSCRIBERS_CACHE = "subscribers";
    /** Name of the cache mapping every identity (SIP URI or tel alias) to the owning public identity. */
    public static final String IDENTITIES_CACHE = "subscriber-identities";

    /** Answers by identity, and by digest username: two caches, since any string may be asked as an identity. */
    private final DecodedReadCache<Optional<Subscriber>> byIdentity =
            new DecodedReadCache<>(DecodedReadCache.STORE_ENTRIES);
    private final DecodedReadCache<Optional<Subscriber>> byUsername =
            new DecodedReadCache<>(DecodedReadCache.STORE_ENTRIES);

    InfinispanSubscriberStore(Cache<String, SubscriberEntity> subscribers, Cache<String, String> identities) {
        super(subscribers, identities);
        // a subscriber's answer depends on its entry and on the index entries of all its identities
        for (DecodedReadCache<?> cache : List.of(byIdentity, byUsername)) {
            cache.dropAllOnWrite(subscribers);
            cache.dropAllOnWrite(identities);
        }
    }

    @Override
    public Optional<Subscriber> findByIdentity(String identity) {
        return byIdentity.get(identity, super::findByIdentity);
    }

    @Override
    public Optional<Subscriber> findByDigestUsername(String username) {
        return byUsername.get(username, super::findByDigestUsername);
    }

    @Override
    SubscriberEntity toValue(Subscriber subscriber) {
        return SubscriberEntity.from(subscriber);
    }

    @Override
    Subscriber fromValue(SubscriberEntity value) {
        return value.toSubscriber();
    }
}
