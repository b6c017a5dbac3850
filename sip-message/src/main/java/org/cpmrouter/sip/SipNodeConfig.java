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
 * @param port                 port to bind on every transport; 0 lets the system choose (UDP only)
 * @param transports           {@code udp}, {@code tcp} or both
 * @param allowedMethods       methods handed to the request handler; OPTIONS is always answered by the node itself
 * @param threadPoolSize       threads the stack uses to read and dispatch messages
 * @param stackProperties      extra JAIN-SIP properties, applied last
 */
public record SipNodeConfig(String host, int port, List<String> transports, Set<String> allowedMethods,
                            int threadPoolSize, Properties stackProperties) {

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
            if (!t.equals("udp") && !t.equals("tcp")) {
                throw new IllegalArgumentException("unsupported transport '" + t + "' (udp or tcp)");
            }
        }
        allowedMethods = Set.copyOf(allowedMethods);
        if (threadPoolSize < 1) {
            throw new IllegalArgumentException("threadPoolSize must be at least 1");
        }
        stackProperties = stackProperties == null ? new Properties() : stackProperties;
    }
}
