package org.cpmrouter.sip.camel;

/** A {@code host:port} pair as written in endpoint URIs and configuration. */
public record HostPort(String host, int port) {

    public static HostPort parse(String text, int defaultPort) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            return new HostPort(t, defaultPort);
        }
        String host = t.substring(0, colon);
        try {
            int port = Integer.parseInt(t.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range in '" + text + "'");
            }
            return new HostPort(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not host:port: '" + text + "'");
        }
    }
}
