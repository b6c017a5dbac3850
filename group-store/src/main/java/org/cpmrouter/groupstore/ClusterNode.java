package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This router process as an owner of work in the shared stores (a group fan-out, a delivery run of held messages),
 * and who else is alive. An owner is written {@code NAME/INCARNATION}: the node's name
 * ({@code cpm.cluster.node-name}, for people reading logs) and what is unique to this run of the process (its
 * cluster address, or a random id without a cluster), so a restarted node with the same name is a new owner, and the
 * work of its previous run is an orphan like a dead node's.
 *
 * <p>An owner is alive when its incarnation is in the current cluster view (without a cluster: when it is this
 * process). When a view change drops members, the listeners given to {@link #onMembersLeft} run, on a thread of
 * Infinispan's notification pool, so that survivors take the dead owners' work over.
 */
public final class ClusterNode {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final String name;
    private final String owner;
    private final Supplier<Set<String>> liveIncarnations;
    private final List<Runnable> onMembersLeft = new CopyOnWriteArrayList<>();

    private ClusterNode(String name, String incarnation, Supplier<Set<String>> liveIncarnations) {
        this.name = name;
        this.owner = name + "/" + incarnation;
        this.liveIncarnations = liveIncarnations;
    }

    /** A process without a cluster: only itself is alive. */
    public static ClusterNode standalone(String name) {
        String incarnation = UUID.randomUUID().toString();
        return new ClusterNode(nameOrDefault(name, "standalone"), incarnation, () -> Set.of(incarnation));
    }

    /** A member of the cache manager's cluster, watching its view (a local cache manager: {@link #standalone}). */
    static ClusterNode of(EmbeddedCacheManager manager, String name) {
        Address self = manager.getAddress();
        if (self == null) {
            return standalone(name);
        }
        // the node UUID, not the name: a node restarted with the same cpm.cluster.node-name is a new incarnation
        ClusterNode node = new ClusterNode(nameOrDefault(name, self.toString()), incarnationOf(self), () -> {
            List<Address> members = manager.getMembers();
            return members == null ? Set.of()
                    : members.stream().map(ClusterNode::incarnationOf).collect(Collectors.toSet());
        });
        manager.addListener(node.new ViewWatcher());
        return node;
    }

    private static String incarnationOf(Address address) {
        return address.getNodeUUID().toString();
    }

    private static String nameOrDefault(String name, String otherwise) {
        return name == null || name.isBlank() ? otherwise : name.strip();
    }

    /** The node's name, for log lines. */
    public String name() {
        return name;
    }

    /** What this process writes as the owner of the work it takes: {@code NAME/INCARNATION}. */
    public String owner() {
        return owner;
    }

    /** Whether the owner is this process or a live member of the cluster; an empty owner (older records) is not. */
    public boolean isAlive(String someOwner) {
        if (someOwner == null || someOwner.isEmpty()) {
            return false;
        }
        if (someOwner.equals(owner)) {
            return true;
        }
        int slash = someOwner.lastIndexOf('/');
        return slash >= 0 && liveIncarnations.get().contains(someOwner.substring(slash + 1));
    }

    /** The name part of an owner, for log lines ("" for none). */
    public static String nameOf(String someOwner) {
        if (someOwner == null) {
            return "";
        }
        int slash = someOwner.lastIndexOf('/');
        return slash < 0 ? someOwner : someOwner.substring(0, slash);
    }

    /** Runs the listener each time the cluster view loses members (never without a cluster). */
    public void onMembersLeft(Runnable listener) {
        onMembersLeft.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public String toString() {
        return owner;
    }

    /** Infinispan calls it on each view change, off the JGroups threads (sync = false). */
    @Listener(sync = false)
    public final class ViewWatcher {

        @ViewChanged
        public void viewChanged(ViewChangedEvent event) {
            List<Address> left = event.getOldMembers().stream().filter(a -> !event.getNewMembers().contains(a)).toList();
            if (left.isEmpty()) {
                return;
            }
            LOG.info("cluster view {}: {} left, members now {}; taking over their work", event.getViewId(), left,
                    event.getNewMembers());
            for (Runnable listener : onMembersLeft) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.warn("taking over the work of {} failed: {}", left, e.toString(), e);
                }
            }
        }
    }
}
