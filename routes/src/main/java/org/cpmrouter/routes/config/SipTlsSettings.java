package org.cpmrouter.routes.config;

import java.util.Optional;

import org.cpmrouter.sip.SipTlsConfig;

/**
 * The router's SIP over TLS from its {@code cpm.sip.tls*} settings: on when {@code cpm.sip.tls.key-store} names a
 * key store (relative paths are read from the configuration directory), off when it is empty.
 */
public final class SipTlsSettings {

    static final String KEY_STORE = "cpm.sip.tls.key-store";

    private SipTlsSettings() {
    }

    /** The TLS configuration of the router's SIP node, or empty when TLS is off. */
    public static Optional<SipTlsConfig> of(RouterConfig config) {
        if (config.get(KEY_STORE).isBlank()) {
            return Optional.empty();
        }
        String trustStore = config.get("cpm.sip.tls.trust-store");
        return Optional.of(new SipTlsConfig(config.getInt("cpm.sip.tls-port"), config.configPath(KEY_STORE),
                config.get("cpm.sip.tls.key-store-password"), config.get("cpm.sip.tls.key-store-type"),
                trustStore.isBlank() ? null : config.configPath("cpm.sip.tls.trust-store"),
                config.get("cpm.sip.tls.trust-store-password"), SipTlsConfig.list(config.get("cpm.sip.tls.protocols")),
                SipTlsConfig.list(config.get("cpm.sip.tls.cipher-suites")),
                SipTlsConfig.ClientAuth.parse(config.get("cpm.sip.tls.client-auth")),
                config.getList("cpm.sip.tls.unverified-hops")));
    }

    /**
     * Checks the TLS settings; with a key store, loads it (and the trust store) so that a wrong path or password
     * stops the start, and {@code cpm-router check}, with the file named.
     *
     * @throws IllegalArgumentException naming the setting at fault
     */
    static void validate(RouterConfig config) {
        int port = config.getInt("cpm.sip.tls-port");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cpm.sip.tls-port must be 1-65535, got " + port);
        }
        try {
            SipTlsConfig.ClientAuth.parse(config.get("cpm.sip.tls.client-auth"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cpm.sip.tls.client-auth: " + e.getMessage(), e);
        }
        Optional<SipTlsConfig> tls = of(config);
        if (tls.isEmpty()) {
            return;
        }
        if (port == config.getInt("cpm.sip.port") && config.getList("cpm.sip.transports").contains("tcp")) {
            throw new IllegalArgumentException("cpm.sip.tls-port must differ from cpm.sip.port (" + port
                    + "), which TCP uses");
        }
        try {
            tls.get().check();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cpm.sip.tls: " + e.getMessage(), e);
        }
    }
}
