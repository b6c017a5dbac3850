package org.cpmrouter.groupstore;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SubscriberStore} held in {@link ConcurrentHashMap}s (subscribers plus an identity index).
 * Nothing survives a restart; meant for tests and single-process demos.
 */
public final class InMemorySubscriberStore extends IndexedSubscriberStore<Subscriber> {

    /** Creates an empty store. */
    public InMemorySubscriberStore() {
        super(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    @Override
    Subscriber toValue(Subscriber subscriber) {
        return subscriber;
    }

    @Override
    Subscriber fromValue(Subscriber value) {
        return value;
    }
}
