package org.cpmrouter.groupstore;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Group and URI-list messages accepted for later delivery: the Controlling Function (the URI-list service likewise,
 * for a list's targets) records one before it answers 202, records the members that answered (in batches, every
 * {@code cpm.controlling.fanout-journal-interval-ms}), and removes the message when the last one is.
 * With the Infinispan store each of these writes is on disk (and, clustered, on every node) before the call returns,
 * so a crash loses no accepted message, and the copies sent again after it are only those not recorded as answered:
 * the ones in flight at the crash (at most {@code cpm.controlling.fanout-in-flight}) and those answered since the
 * last batch, with the same IMDN Message-ID, by which clients recognise a duplicate.
 *
 * <p>Every record names its owner, the router process sending it ({@link ClusterNode#owner()}): {@link #save}
 * makes the saving node the owner of a record that names none. When the owner is gone (a node that died, or a
 * previous run of this one), a live node takes the record over with {@link #takeOver}, which succeeds for one node
 * only, and sends what is left.
 */
public interface PendingFanOutStore {

    /**
     * Records an accepted message (or replaces the record with the same id); a message that names no owner is
     * recorded as this node's.
     */
    void save(PendingFanOut pending);

    /** Records that a member has answered its copy (2xx or a final refusal): it is not sent again. */
    void answered(String id, String member);

    /**
     * Records many answers, of one or several messages (message id to members), in as few writes as the store
     * can: the Controlling Function records the answers that came while the previous batch was written.
     */
    default void answered(Map<String, ? extends Collection<String>> answers) {
        answers.forEach((id, members) -> members.forEach(member -> answered(id, member)));
    }

    /** Forgets a message whose every copy has been answered, with its answers. */
    void remove(String id);

    /** Every message still to finish, in no particular order, each with the members not answered yet. */
    List<PendingFanOut> all();

    /** The messages whose owner is neither this process nor a live member of the cluster: to be taken over. */
    default List<PendingFanOut> orphaned() {
        ClusterNode self = node();
        return all().stream().filter(p -> !self.isAlive(p.owner())).toList();
    }

    /**
     * Makes this node the owner of an orphaned message, if it still has the owner it had when read: of two nodes
     * trying at once exactly one gets it.
     *
     * @return the message as now owned by this node, with the members not answered yet; empty when another node
     *         took it first or it has been finished meanwhile
     */
    Optional<PendingFanOut> takeOver(PendingFanOut orphan);

    /** The node this store writes as owner. */
    ClusterNode node();
}
