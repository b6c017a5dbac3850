package org.cpmrouter.routes.auth;

/**
 * Something the router grants only for a while, such as the startup warm-up's trust of its own loopback clients
 * ({@link org.cpmrouter.routes.auth.TrustedPeers#admit}) or its throwaway sender's exemption from the per-sender
 * limit ({@link org.cpmrouter.routes.sipcore.SenderRateLimit#exempt}). Closing it ends the grant.
 */
@FunctionalInterface
public interface TemporaryGrant extends AutoCloseable {

    /** Ends the grant; no checked exception, so it fits try-with-resources without a catch. */
    @Override
    void close();
}
