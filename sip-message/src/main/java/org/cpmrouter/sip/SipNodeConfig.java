package org.cpmrouter.sip;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * Where a {@link SipNode} listens and how its stack is tuned.
 *
 * @param host                 IP address to bind (127.0.0.1 by default)
 * @param port                 port to bind on UDP and TCP; 0 lets the system choose
 * @param transports           {@code udp}, {@code tcp}, {@code tls}, or several
 * @param allowedMethods       methods handed to the request handler; OPTIONS is always answered by the node itself
 * @param threadPoolSize       threads the stack uses to read and dispatch messages
 * @param stackProperties      extra JAIN-SIP properties, applied last
 * @param tls                  the TLS listening point (its own port) and key material; needed with {@code tls},
 *                             null otherwise
 * @param udpPath              what carries {@code udp}: the JAIN-SIP stack, or the node's {@link LeanUdpTransport}
 */
public record SipNodeConfig(String host, int port, List<String> transports, Set<String> allowedMethods,
                            int threadPoolSize, Properties stackProperties, SipTlsConfig tls, UdpPath udpPath) {

    /** What carries a node's UDP. */
    public enum UdpPath {
        /** The JAIN-SIP stack's listening point and transaction layer, as for TCP and TLS. */
        JAIN_SIP,
        /** The node's own socket and non-INVITE transactions ({@link LeanUdpTransport}); the same messages. */
        LEAN;

        /** {@code jain-sip} or {@code lean}, as configuration writes it. */
        public static UdpPath parse(String text) {
            return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
                case "jain-sip" -> JAIN_SIP;
                case "lean" -> LEAN;
                default -> throw new IllegalArgumentException("unknown UDP path '" + text + "' (lean or jain-sip)");
            };
        }
    }

    /** A node without TLS, UDP on the JAIN-SIP stack. */
    public SipNodeConfig(String host, int port, List<String> transports, Set<String> allowedMethods,
                         int threadPoolSize, Properties stackProperties) {
        this(host, port, transports, allowedMethods, threadPoolSize, stackProperties, null);
    }

    /** UDP on the JAIN-SIP stack. */
    public SipNodeConfig(String host, int port, List<String> transports, Set<String> allowedMethods,
                         int threadPoolSize, Properties stackProperties, SipTlsConfig tls) {
        this(host, port, transports, allowedMethods, threadPoolSize, stackProperties, tls, UdpPath.JAIN_SIP);
    }

    /** The same node with its UDP carried by {@code path}. */
    public SipNodeConfig withUdpPath(UdpPath path) {
        return new SipNodeConfig(host, port, transports, allowedMethods, threadPoolSize, stackProperties, tls, path);
    }

    /** Whether UDP is one of the transports and the lean transport carries it. */
    public boolean leanUdp() {
        return udpPath == UdpPath.LEAN && transports.contains("udp");
    }

    public SipNodeConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        transports = transports.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        if (transports.isEmpty()) {
            throw new IllegalArgumentException("at least one transport is needed");
        }
        for (String t : transports) {
            if (!t.equals("udp") && !t.equals("tcp") && !t.equals("tls")) {
                throw new IllegalArgumentException("unsupported transport '" + t + "' (udp, tcp or tls)");
            }
        }
        if (transports.contains("tls") != (tls != null)) {
            throw new IllegalArgumentException(tls == null ? "transport tls needs TLS settings (a key store or a "
                    + "trust store)" : "TLS settings given but tls is not among the transports " + transports);
        }
        if (tls != null && tls.port() != 0 && tls.port() == port && transports.contains("tcp")) {
            throw new IllegalArgumentException("the TLS port must differ from the TCP port " + port);
        }
        allowedMethods = Set.copyOf(allowedMethods);
        if (threadPoolSize < 1) {
            throw new IllegalArgumentException("threadPoolSize must be at least 1");
        }
        stackProperties = stackProperties == null ? new Properties() : stackProperties;
        udpPath = udpPath == null ? UdpPath.JAIN_SIP : udpPath;
    }
}
