package org.cpmrouter.groupstore;

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
 * Decoded answers of a store, by lookup key, in front of Infinispan caches. Every message asks the stores about its
 * sender, its target and the target's registrations, and each Infinispan read transcodes the key to protostream and
 * decodes the stored value: more than the rest of the lookup. The data changes rarely compared with how often it is
 * read, so answers (found and not found) are kept here and dropped by listeners on the caches they come from, which
 * see every create, modify, remove, expiry and invalidation, on this node and, replicated, from any other node: a
 * write drops either every answer ({@link #dropAllOnWrite}, when one entry's answer depends on several keys) or the
 * answer of its own key ({@link #dropKeyOnWrite}).
 *
 * <p>A read that races a write never keeps the old answer: the generation counts writes, and an answer is kept only
 * if no write started between its read and the moment it is stored (checked after storing, so a write that drops it
 * at the same time cannot be overtaken). Bounded by {@code maxEntries}: when full, it starts over empty.
 *
 * @param <V> the decoded answer
 */
public final class DecodedReadCache<V> {

    /**
     * Answers a store keeps at most: as many entries as the shipped configuration keeps in memory for the subscriber
     * and registration caches (max-count 100000); lookups beyond that start over empty.
     */
    static final int STORE_ENTRIES = 100_000;

    private final int maxEntries;
    private final ConcurrentHashMap<String, V> answers = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    DecodedReadCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** Any write to {@code cache} drops every answer. */
    void dropAllOnWrite(Cache<?, ?> cache) {
        cache.addListener(new Dropper(true));
    }

    /** A write to {@code cache} drops the answer kept under the written entry's key. */
    void dropKeyOnWrite(Cache<String, ?> cache) {
        cache.addListener(new Dropper(false));
    }

    /** The kept answer for {@code key}, or the loader's, kept unless a write raced it. */
    V get(String key, Function<String, V> loader) {
        V known = answers.get(key);
        if (known != null) {
            return known;
        }
        long before = generation.get();
        V loaded = loader.apply(key);
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

    /** Forgets the answer for one key. */
    void invalidate(String key) {
        generation.incrementAndGet();
        answers.remove(key);
    }

    /** How many answers are kept (for tests). */
    int size() {
        return answers.size();
    }

    /**
     * Drops answers on every write to the cache it listens to: all of them, or the written key's. Both before and after
     * each write: readers between the two cannot keep what they read.
     */
    @Listener(observation = Listener.Observation.BOTH)
    public final class Dropper {
        private final boolean everything;

        Dropper(boolean everything) {
            this.everything = everything;
        }

        @CacheEntryCreated
        @CacheEntryModified
        @CacheEntryRemoved
        @CacheEntryExpired
        @CacheEntryInvalidated
        public void onWrite(CacheEntryEvent<?, ?> event) {
            if (!everything && event.getKey() instanceof String key) {
                invalidate(key);
            } else {
                invalidateAll(); // or a key this cache does not know how to read: never keep what may be stale
            }
        }
    }
}
