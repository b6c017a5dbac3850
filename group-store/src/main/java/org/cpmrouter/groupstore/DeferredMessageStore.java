package org.cpmrouter.groupstore;

import java.util.List;

/**
 * The messages held for recipients who could not take them (deferred delivery), per recipient in arrival order.
 * What the router has answered {@code 202} for is in here before the answer (implementations over Infinispan write
 * through to a file store with {@code sync-writes}). Implementations are thread-safe.
 */
public interface DeferredMessageStore {

    /** How much may be held: per recipient (messages) and in all (bytes of bodies and headers). */
    record Limits(int maxPerRecipient, long maxTotalBytes) {
    }

    /** What is held for one recipient: never the messages' content. */
    record Summary(String recipient, int count, long bytes, long oldestStoredAtMillis) {
    }

    /** Why a message could not be held. */
    final class HoldRefused extends RuntimeException {

        /** Which limit was reached. */
        public enum Limit { PER_RECIPIENT, TOTAL_BYTES }

        private final Limit limit;

        public HoldRefused(Limit limit, String message) {
            super(message, null, false, false);
            this.limit = limit;
        }

        public Limit limit() {
            return limit;
        }
    }

    /**
     * Holds a message after the recipient's others, giving it the next sequence number.
     *
     * @return the message as stored, with its sequence
     * @throws HoldRefused when the recipient already has {@code maxPerRecipient} held, or the store would pass
     *                     {@code maxTotalBytes}
     */
    HeldMessage hold(HeldMessage message, Limits limits);

    /** The recipient's held messages, in arrival order (expired ones included until {@link #removeExpired}). */
    List<HeldMessage> heldFor(String recipient);

    /** Replaces a held message (same recipient and sequence) after a delivery run; false if it is gone. */
    boolean update(HeldMessage message);

    /** Removes a held message; false if it was not there. */
    boolean remove(String recipient, long sequence);

    /** Removes every message expired at {@code nowMillis} and returns them (to report them failed). */
    List<HeldMessage> removeExpired(long nowMillis);

    /** The recipients who have messages held, in no order. */
    List<String> recipients();

    /** Counts, bytes and age of what is held for a recipient (zeros when nothing). */
    Summary summary(String recipient);

    /** Removes everything held for a recipient; returns how many messages. */
    int purge(String recipient);

    /**
     * Claims the delivery of a recipient's held messages for this node ({@link #node()}) for {@code leaseMillis},
     * or renews this node's claim: while one node holds it no other sends the recipient's held messages, so two
     * nodes' timers or registrations never deliver the same message twice. A claim of a node that is no longer alive
     * is taken over at once; one that is not renewed ends with its lease.
     *
     * @return false while another live node holds the claim
     */
    boolean claimDelivery(String recipient, long leaseMillis);

    /** Gives up this node's claim on a recipient's delivery (nothing when another node holds it). */
    void releaseDelivery(String recipient);

    /** The node this store claims deliveries for. */
    ClusterNode node();
}
