package org.cpmrouter.groupstore;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.infinispan.Cache;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryExpired;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryInvalidated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * Decoded subscribers by lookup key, in front of the Infinispan subscriber caches. Every message asks the store
 * about its sender and its target, and each such read costs two cache reads that transcode the key to protostream
 * and decode the stored value: more than the rest of the lookup. Subscribers change rarely (provisioning), so the
 * answers, found and not found, are kept here and the whole cache is dropped on any write to either Infinispan cache:
 * a listener on each sees every create, modify, remove, expiry and invalidation, on this node and, replicated, from
 * any other node.
 *
 * <p>A read that races a write never keeps the old answer: the generation counts writes, and an answer is kept only
 * if no write started between its read and the moment it is stored (checked after storing, so a write that clears the
 * cache at the same time cannot be overtaken). Bounded by {@code maxEntries}: when full, it starts over empty.
 */
public final class SubscriberReadCache {

    private final int maxEntries;
    private final ConcurrentHashMap<String, Optional<Subscriber>> answers = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Invalidator invalidator = new Invalidator();

    SubscriberReadCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** Drops this cache whenever {@code cache} changes. */
    void watch(Cache<?, ?> cache) {
        cache.addListener(invalidator);
    }

    /** The kept answer for {@code key}, or the loader's, kept unless a write raced it. */
    Optional<Subscriber> get(String key, Function<String, Optional<Subscriber>> loader) {
        Optional<Subscriber> known = answers.get(key);
        if (known != null) {
            return known;
        }
        long before = generation.get();
        Optional<Subscriber> loaded = loader.apply(key);
        if (answers.size() >= maxEntries) {
            answers.clear();
        }
        answers.put(key, loaded);
        if (generation.get() != before) {
            answers.remove(key, loaded); // a write ran meanwhile: the answer may be the old one
        }
        return loaded;
    }

    /** Forgets every answer; the next reads go to the store. */
    void invalidateAll() {
        generation.incrementAndGet();
        answers.clear();
    }

    /** How many answers are kept (for tests). */
    int size() {
        return answers.size();
    }

    /** Both before and after each write: readers between the two cannot keep what they read. */
    @Listener(observation = Listener.Observation.BOTH)
    public final class Invalidator {
        @CacheEntryCreated
        @CacheEntryModified
        @CacheEntryRemoved
        @CacheEntryExpired
        @CacheEntryInvalidated
        public void onWrite(CacheEntryEvent<?, ?> event) {
            invalidateAll();
        }
    }
}
