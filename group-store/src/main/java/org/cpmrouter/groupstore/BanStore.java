package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Source addresses the router refuses requests from for a while (failed authentications, floods), shared by every
 * node of a cluster so that an attacker banned by one node is refused by all. A ban ends by itself at its
 * {@link Ban#untilMillis()}, or when an operator lifts it. Implementations are thread-safe.
 */
public interface BanStore {

    /**
     * Bans an address until {@code ban.untilMillis()}, replacing any ban it had. May return before the ban is
     * stored (a SIP reading thread must not wait for the cluster); the watchers hear of it once it is.
     */
    void ban(Ban ban);

    /** Lifts the ban of an address; false when it had none. */
    boolean lift(String address);

    /** The ban of an address, if it has one that has not ended. */
    Optional<Ban> find(String address);

    /** Every ban that has not ended, by address. */
    List<Ban> all();

    /**
     * Calls {@code changed} with the address whose ban was set or lifted, on this node or (clustered) any other, so a
     * reader can keep a copy of the bans in memory.
     */
    void watch(Consumer<String> changed);
}
