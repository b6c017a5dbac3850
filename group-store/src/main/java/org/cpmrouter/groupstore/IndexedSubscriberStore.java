package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The subscriber store algorithm over two concurrent maps: subscribers by public identity, and an identity index
 * (every identity, SIP URI and tel alias, mapped to the owning public identity). The index also holds each digest
 * username, under a key no identity can have ({@code digest-username:alice}), so a username belongs to one subscriber
 * and authentication finds it without a scan.
 *
 * <p>Identities are claimed with {@code putIfAbsent}, so two subscribers can never own the same identity; a
 * conflicting save releases what it claimed and fails. Saves and removals of the <em>same</em> subscriber are
 * serialized by a lock striped on its public identity, because the two maps cannot be updated in one atomic step.
 * Lookups verify that the subscriber found really owns the identity, so a half-finished save never resolves
 * to the wrong subscriber.
 *
 * <p>Clustered caches ({@code config/infinispan-cluster.xml}): identity claims stay exclusive across nodes, because
 * {@code putIfAbsent} and conditional {@code remove} are atomic cluster-wide. The stripe lock, however, is per JVM:
 * two saves (or a save and a removal) of the <em>same</em> subscriber on two different nodes at the same moment can
 * leave one of its identities unindexed (a lookup by it finds nothing until the next save) or leave a stale claim
 * that blocks the identity for other subscribers. Provision a given subscriber through one node at a time.
 *
 * @param <V> the stored value type
 */
abstract class IndexedSubscriberStore<V> implements SubscriberStore {

    private static final int LOCK_STRIPES = 64;
    /** Prefix of the index keys of digest usernames: not a URI scheme any identity uses. */
    private static final String USERNAME_KEY = "digest-username:";

    private final ConcurrentMap<String, V> subscribers;
    private final ConcurrentMap<String, String> identityIndex;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    IndexedSubscriberStore(ConcurrentMap<String, V> subscribers, ConcurrentMap<String, String> identityIndex) {
        this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
        this.identityIndex = Objects.requireNonNull(identityIndex, "identityIndex");
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Converts a subscriber to the stored value. */
    abstract V toValue(Subscriber subscriber);

    /** Converts a stored value back to a subscriber. */
    abstract Subscriber fromValue(V value);

    @Override
    public Optional<Subscriber> findByIdentity(String identity) {
        Objects.requireNonNull(identity, "identity");
        String publicIdentity = identityIndex.get(identity);
        if (publicIdentity == null) {
            return Optional.empty();
        }
        V value = subscribers.get(publicIdentity);
        if (value == null) {
            return Optional.empty();
        }
        Subscriber subscriber = fromValue(value);
        return subscriber.identities().contains(identity) ? Optional.of(subscriber) : Optional.empty();
    }

    @Override
    public Optional<Subscriber> findByDigestUsername(String username) {
        Objects.requireNonNull(username, "username");
        String publicIdentity = identityIndex.get(USERNAME_KEY + username);
        V value = publicIdentity == null ? null : subscribers.get(publicIdentity);
        if (value == null) {
            return Optional.empty();
        }
        Subscriber subscriber = fromValue(value);
        return subscriber.hasCredentials() && subscriber.credentials().username().equals(username)
                ? Optional.of(subscriber) : Optional.empty();
    }

    /** Every key the subscriber claims in the index: its identities, then its digest username if it has one. */
    private static List<String> indexKeys(Subscriber subscriber) {
        List<String> keys = new ArrayList<>(subscriber.identities());
        if (subscriber.hasCredentials()) {
            keys.add(USERNAME_KEY + subscriber.credentials().username());
        }
        return keys;
    }

    private static String describeKey(String key) {
        return key.startsWith(USERNAME_KEY) ? "digest username " + key.substring(USERNAME_KEY.length())
                : "identity " + key;
    }

    @Override
    public void save(Subscriber subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        String owner = subscriber.publicIdentity();
        List<String> wanted = indexKeys(subscriber);
        ReentrantLock lock = lockFor(owner);
        lock.lock();
        try {
            List<String> claimed = new ArrayList<>(wanted.size());
            for (String identity : wanted) {
                String previousOwner = identityIndex.putIfAbsent(identity, owner);
                if (previousOwner == null) {
                    claimed.add(identity);
                } else if (!previousOwner.equals(owner)) {
                    for (String c : claimed) {
                        identityIndex.remove(c, owner);
                    }
                    throw new IllegalArgumentException(
                            describeKey(identity) + " already belongs to " + previousOwner + ", cannot save " + owner);
                }
            }
            V previous = subscribers.put(owner, toValue(subscriber));
            if (previous != null) {
                Set<String> keep = new HashSet<>(wanted);
                for (String identity : indexKeys(fromValue(previous))) {
                    if (!keep.contains(identity)) {
                        identityIndex.remove(identity, owner);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean remove(String publicIdentity) {
        Objects.requireNonNull(publicIdentity, "publicIdentity");
        ReentrantLock lock = lockFor(publicIdentity);
        lock.lock();
        try {
            V previous = subscribers.remove(publicIdentity);
            if (previous == null) {
                return false;
            }
            for (String identity : indexKeys(fromValue(previous))) {
                identityIndex.remove(identity, publicIdentity);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Subscriber> list() {
        return subscribers.values().stream()
                .map(this::fromValue)
                .sorted(Comparator.comparing(Subscriber::publicIdentity))
                .toList();
    }

    @Override
    public long count() {
        return subscribers.size();
    }

    private ReentrantLock lockFor(String publicIdentity) {
        return locks[Math.floorMod(publicIdentity.hashCode(), LOCK_STRIPES)];
    }
}
