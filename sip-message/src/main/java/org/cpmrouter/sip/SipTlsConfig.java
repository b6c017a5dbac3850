package org.cpmrouter.sip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * SIP over TLS for one {@link SipNode}: the TLS listening point's port and the key material, protocols, cipher
 * suites and client-certificate policy of that node's JAIN-SIP stack. The RI reads all of these from the stack's
 * own properties ({@code javax.net.ssl.keyStore} and friends are looked up there, not in the JVM's system
 * properties), so two nodes in one JVM can hold different certificates.
 *
 * @param port               port of the TLS listening point (must differ from the node's TCP port); 0 picks a free one
 * @param keyStore           this node's certificate and private key; null for a node that only connects out
 *                           (a client), which then presents no certificate
 * @param keyStorePassword   password of the key store and of its key entry
 * @param storeType          type of both stores, {@code PKCS12} by default (the JDK's PKCS12 also reads JKS files)
 * @param trustStore         certificates this node accepts from peers (as a client, the server's; with client auth,
 *                           the clients'); null: the key store's own certificates
 * @param trustStorePassword password of the trust store
 * @param protocols          enabled protocols, {@code TLSv1.2} by default
 * @param cipherSuites       enabled cipher suites; empty: the JDK's defaults (the RI's own default list is
 *                           outdated: RSA key exchange, 3DES and anonymous suites)
 * @param clientAuth         whether the node asks clients for a certificate
 * @param unverifiedHops     next hops ({@code host} or {@code host:port}, as in the URI the node sends to) whose
 *                           certificate is not checked against their host name; every other outgoing TLS
 *                           connection is ({@link TlsHostNameVerification}, RFC 5922). Unsafe: see docs/security.md
 */
public record SipTlsConfig(int port, Path keyStore, String keyStorePassword, String storeType, Path trustStore,
                           String trustStorePassword, List<String> protocols, List<String> cipherSuites,
                           ClientAuth clientAuth, List<String> unverifiedHops) {

    /** The default port of SIP over TLS (RFC 3261 section 19.1.2). */
    public static final int DEFAULT_PORT = 5061;
    /** Longest an outgoing TLS handshake may take before the RI closes the socket, milliseconds. */
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    /**
     * The values of the RI's {@code gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE}, except {@code DisabledAll} (which
     * also turns off the validation of the server's certificate) and {@code Default} (which the RI treats as
     * {@link #Enabled} on accepted connections).
     */
    public enum ClientAuth {
        /** No certificate asked for. */
        Disabled,
        /**
         * A certificate asked for: a client without one is accepted, one whose certificate fails the trust store
         * is not.
         */
        Want,
        /** A certificate required, signed by the trust store. */
        Enabled;

        public static ClientAuth parse(String text) {
            for (ClientAuth value : values()) {
                if (value.name().equalsIgnoreCase(text.trim())) {
                    return value;
                }
            }
            throw new IllegalArgumentException("TLS client auth must be Disabled, Want or Enabled, got '" + text + "'");
        }
    }

    /** Every outgoing connection's host name verified. */
    public SipTlsConfig(int port, Path keyStore, String keyStorePassword, String storeType, Path trustStore,
                        String trustStorePassword, List<String> protocols, List<String> cipherSuites,
                        ClientAuth clientAuth) {
        this(port, keyStore, keyStorePassword, storeType, trustStore, trustStorePassword, protocols, cipherSuites,
                clientAuth, List.of());
    }

    public SipTlsConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TLS port out of range: " + port);
        }
        if (keyStore == null && trustStore == null) {
            throw new IllegalArgumentException("TLS needs a key store (to accept connections) or a trust store "
                    + "(to connect out)");
        }
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
        storeType = storeType == null || storeType.isBlank() ? "PKCS12" : storeType.trim();
        protocols = protocols == null || protocols.isEmpty() ? List.of("TLSv1.2") : List.copyOf(protocols);
        cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
        clientAuth = clientAuth == null ? ClientAuth.Disabled : clientAuth;
        unverifiedHops = unverifiedHops == null ? List.of() : List.copyOf(unverifiedHops);
    }

    /** A node that accepts TLS with this key store (which also serves as its trust store). */
    public static SipTlsConfig server(Path keyStore, String password) {
        return new SipTlsConfig(DEFAULT_PORT, keyStore, password, null, null, null, null, null, null);
    }

    /** A node that connects out over TLS, trusting the certificates of this trust store, and presents none. */
    public static SipTlsConfig client(Path trustStore, String password) {
        return new SipTlsConfig(0, null, null, null, trustStore, password, null, null, null);
    }

    public SipTlsConfig withPort(int newPort) {
        return new SipTlsConfig(newPort, keyStore, keyStorePassword, storeType, trustStore, trustStorePassword,
                protocols, cipherSuites, clientAuth, unverifiedHops);
    }

    public SipTlsConfig withKeyStore(Path newKeyStore, String password) {
        return new SipTlsConfig(port, newKeyStore, password, storeType, trustStore, trustStorePassword,
                protocols, cipherSuites, clientAuth, unverifiedHops);
    }

    public SipTlsConfig withTrustStore(Path newTrustStore, String password) {
        return new SipTlsConfig(port, keyStore, keyStorePassword, storeType, newTrustStore, password,
                protocols, cipherSuites, clientAuth, unverifiedHops);
    }

    public SipTlsConfig withProtocols(List<String> newProtocols) {
        return new SipTlsConfig(port, keyStore, keyStorePassword, storeType, trustStore, trustStorePassword,
                newProtocols, cipherSuites, clientAuth, unverifiedHops);
    }

    public SipTlsConfig withCipherSuites(List<String> newCipherSuites) {
        return new SipTlsConfig(port, keyStore, keyStorePassword, storeType, trustStore, trustStorePassword,
                protocols, newCipherSuites, clientAuth, unverifiedHops);
    }

    public SipTlsConfig withClientAuth(ClientAuth newClientAuth) {
        return new SipTlsConfig(port, keyStore, keyStorePassword, storeType, trustStore, trustStorePassword,
                protocols, cipherSuites, newClientAuth, unverifiedHops);
    }

    /** The same, with these next hops' host names not verified (unsafe). */
    public SipTlsConfig withUnverifiedHops(List<String> hops) {
        return new SipTlsConfig(port, keyStore, keyStorePassword, storeType, trustStore, trustStorePassword,
                protocols, cipherSuites, clientAuth, hops);
    }

    /** Whether the node has a certificate of its own (it can then accept TLS connections). */
    public boolean hasKeyStore() {
        return keyStore != null;
    }

    /** The cipher suites the stack enables: the configured ones, else the JDK's defaults. */
    public List<String> effectiveCipherSuites() {
        if (!cipherSuites.isEmpty()) {
            return cipherSuites;
        }
        return List.of(jdkDefaults().getCipherSuites());
    }

    /**
     * Loads both stores and checks the protocols and cipher suites against the JDK, so that a mistake is reported
     * with its cause before the stack is made (the RI's own failure says little). Passwords are never in messages.
     *
     * @throws IllegalArgumentException naming the file or value at fault
     */
    public void check() {
        if (keyStore != null) {
            KeyStore keys = load(keyStore, keyStorePassword, "key store");
            if (!hasPrivateKey(keys)) {
                throw new IllegalArgumentException("TLS key store " + keyStore + " holds no private key entry");
            }
        }
        if (trustStore != null) {
            load(trustStore, trustStorePassword, "trust store");
        }
        SSLParameters supported = jdkSupported();
        requireSupported("protocol", protocols, Set.of(supported.getProtocols()));
        requireSupported("cipher suite", cipherSuites, Set.of(supported.getCipherSuites()));
    }

    /** The RI's stack properties for this configuration. */
    public Properties stackProperties() {
        Properties p = new Properties();
        // the RI turns TLS on only with a key store; a node that only connects out gives its trust store, which
        // holds no private key, so that it presents no certificate
        Path keys = keyStore != null ? keyStore : trustStore;
        Path trust = trustStore != null ? trustStore : keyStore;
        p.setProperty("javax.net.ssl.keyStore", keys.toAbsolutePath().toString());
        p.setProperty("javax.net.ssl.keyStorePassword", keyStore != null ? keyStorePassword : trustStorePassword);
        p.setProperty("javax.net.ssl.keyStoreType", storeType);
        p.setProperty("javax.net.ssl.trustStore", trust.toAbsolutePath().toString());
        p.setProperty("javax.net.ssl.trustStorePassword", trustStore != null ? trustStorePassword : keyStorePassword);
        p.setProperty("javax.net.ssl.trustStoreType", storeType);
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", protocols));
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", effectiveCipherSuites()));
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", clientAuth.name());
        // without it, an outgoing handshake with a peer that accepted the connection and then says nothing
        // blocks the sending thread for good
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", Long.toString(HANDSHAKE_TIMEOUT_MS));
        return p;
    }

    /** One line for the log: everything but the port and the passwords. */
    public String describe() {
        return "key store " + (keyStore == null ? "none" : keyStore) + ", trust store "
                + (trustStore == null ? "the key store" : trustStore) + ", " + String.join("+", protocols)
                + ", " + (cipherSuites.isEmpty() ? "the JDK's cipher suites" : cipherSuites.size() + " cipher suites")
                + ", client auth " + clientAuth + ", peer host names verified"
                + (unverifiedHops.isEmpty() ? "" : " except for " + String.join(",", unverifiedHops) + " (UNSAFE)");
    }

    /** Never shows the passwords. */
    @Override
    public String toString() {
        return "SipTlsConfig[port " + port + ", " + describe() + "]";
    }

    private KeyStore load(Path file, String password, String what) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("TLS " + what + " " + file + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(storeType);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            String reason = isWrongPassword(e) ? "wrong password" : e.getMessage();
            throw new IllegalArgumentException("cannot read TLS " + what + " " + file + " as " + storeType + ": "
                    + reason, e);
        }
    }

    /** The JDK reports a wrong store password as an IOException caused by a failed key or MAC check. */
    private static boolean isWrongPassword(Exception e) {
        Throwable cause = e.getCause();
        return cause instanceof java.security.UnrecoverableKeyException
                || cause instanceof javax.crypto.BadPaddingException
                || String.valueOf(e.getMessage()).contains("password was incorrect");
    }

    private static boolean hasPrivateKey(KeyStore store) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot list the TLS key store: " + e.getMessage(), e);
        }
    }

    private static void requireSupported(String what, List<String> asked, Set<String> supported) {
        for (String value : asked) {
            if (!supported.contains(value)) {
                String hint = what.equals("protocol")
                        ? " (supported: " + String.join(", ", new TreeSet<>(supported)) + ")"
                        : " (names as in the JDK's SunJSSE provider, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)";
                throw new IllegalArgumentException("TLS " + what + " '" + value + "' is not supported by this JDK"
                        + hint);
            }
        }
    }

    private static SSLParameters jdkDefaults() {
        try {
            return SSLContext.getDefault().getDefaultSSLParameters();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default TLS context: " + e.getMessage(), e);
        }
    }

    private static SSLParameters jdkSupported() {
        try {
            return SSLContext.getDefault().getSupportedSSLParameters();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default TLS context: " + e.getMessage(), e);
        }
    }

    /** Splits a comma list from configuration. */
    public static List<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
