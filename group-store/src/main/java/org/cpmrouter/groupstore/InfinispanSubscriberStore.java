package org.cpmrouter.groupstore;

import org.infinispan.Cache;

/**
 * A {@link SubscriberStore} over two Infinispan caches: {@code subscribers} (public identity -&gt; subscriber)
 * and {@code subscriber-identities} (every identity -&gt; public identity). A lookup reads the index, then the
 * subscriber; identities are claimed with {@code putIfAbsent} and released with conditional {@code remove}.
 */
public final class InfinispanSubscriberStore extends IndexedSubscriberStore<SubscriberEntity> {

    /** Name of the cache holding subscribers keyed by public identity. */
    public static final String SUBSCRIBERS_CACHE = "subscribers";
    /** Name of the cache mapping every identity (SIP URI or tel alias) to the owning public identity. */
    public static final String IDENTITIES_CACHE = "subscriber-identities";

    InfinispanSubscriberStore(Cache<String, SubscriberEntity> subscribers, Cache<String, String> identities) {
        super(subscribers, identities);
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
