package org.cpmrouter.client;

import java.util.Objects;

import org.cpmrouter.sip.SipTlsConfig;

/**
 * How a {@link CpmClient} reaches its SIP/IP Core.
 *
 * @param identity   the user's public identity, e.g. {@code sip:alice@cpm.example.com}, or one of its numbers,
 *                   {@code tel:+15551230001}
 * @param proxyHost  the core's address (the router), 127.0.0.1 by default
 * @param proxyPort  the core's SIP port, 5060 by default
 * @param localHost  the address this client listens on
 * @param localPort  its port; 0 picks a free one
 * @param transport  {@code udp}, {@code tcp} or {@code tls}
 * @param password   the digest password answering the core's challenges (the username is {@link #user()});
 *                   {@code null}: none, and a challenged request ends with its 401
 * @param tls        with {@code tls}: the trust store that must hold the router's certificate (or its CA), and a
 *                   key store of the client's own when it receives messages over TLS (the router then connects to
 *                   it) or the router asks for client certificates; null otherwise
 * @param username   the digest username, when it is not the user part of the identity (an identity that is a
 *                   {@code tel:} number has none); null otherwise
 */
public record ClientConfig(String identity, String proxyHost, int proxyPort, String localHost, int localPort,
                           String transport, String password, SipTlsConfig tls, String username) {

    public ClientConfig {
        Objects.requireNonNull(identity, "identity");
        if (!identity.startsWith("sip:") && !identity.startsWith("sips:") && !identity.startsWith("tel:")) {
            throw new IllegalArgumentException("a client identity is a SIP URI or a tel: number, got " + identity);
        }
        username = username == null || username.isBlank() ? null : username;
        transport = transport == null ? "udp" : transport.toLowerCase();
        if ("tls".equals(transport) && tls == null) {
            throw new IllegalArgumentException("transport tls needs a trust store that holds the router's certificate");
        }
    }

    /** With the user part of the identity as digest username. */
    public ClientConfig(String identity, String proxyHost, int proxyPort, String localHost, int localPort,
                        String transport, String password, SipTlsConfig tls) {
        this(identity, proxyHost, proxyPort, localHost, localPort, transport, password, tls, null);
    }

    /** Without a password, without TLS. */
    public ClientConfig(String identity, String proxyHost, int proxyPort, String localHost, int localPort,
                        String transport) {
        this(identity, proxyHost, proxyPort, localHost, localPort, transport, null, null);
    }

    /** With a password, without TLS. */
    public ClientConfig(String identity, String proxyHost, int proxyPort, String localHost, int localPort,
                        String transport, String password) {
        this(identity, proxyHost, proxyPort, localHost, localPort, transport, password, null);
    }

    public static ClientConfig of(String identity, String proxyHost, int proxyPort) {
        return new ClientConfig(identity, proxyHost, proxyPort, "127.0.0.1", 0, "udp");
    }

    public ClientConfig withLocalPort(int port) {
        return new ClientConfig(identity, proxyHost, proxyPort, localHost, port, transport, password, tls, username);
    }

    public ClientConfig withTransport(String newTransport) {
        return new ClientConfig(identity, proxyHost, proxyPort, localHost, localPort, newTransport, password, tls,
                username);
    }

    public ClientConfig withPassword(String newPassword) {
        return new ClientConfig(identity, proxyHost, proxyPort, localHost, localPort, transport, newPassword, tls,
                username);
    }

    /** Over TLS to the router's TLS port, with these stores. */
    public ClientConfig withTls(int routerTlsPort, SipTlsConfig newTls) {
        return new ClientConfig(identity, proxyHost, routerTlsPort, localHost, localPort, "tls", password, newTls,
                username);
    }

    /** With this digest username ({@code null}: the user part of the identity). */
    public ClientConfig withUsername(String newUsername) {
        return new ClientConfig(identity, proxyHost, proxyPort, localHost, localPort, transport, password, tls,
                newUsername);
    }

    /** The digest username: the one given, else the user part of the identity ({@code alice}). */
    public String user() {
        if (username != null) {
            return username;
        }
        String rest = identity.substring(identity.indexOf(':') + 1);
        int at = rest.indexOf('@');
        return at < 0 ? rest : rest.substring(0, at);
    }

    /** Whether the identity is a number ({@code tel:}), whose digest username the client cannot know by itself. */
    public boolean isNumber() {
        return identity.startsWith("tel:");
    }

    /** The domain of the identity ({@code cpm.example.com}). */
    public String domain() {
        int at = identity.indexOf('@');
        return at < 0 ? proxyHost : identity.substring(at + 1);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "ClientConfig[identity=" + identity + ", proxy=" + proxyHost + ":" + proxyPort + ", local=" + localHost
                + ":" + localPort + ", transport=" + transport + ", password=" + (password == null ? "none" : "set")
                + ", tls=" + (tls == null ? "none" : "set") + (username == null ? "" : ", username=" + username) + "]";
    }
}
