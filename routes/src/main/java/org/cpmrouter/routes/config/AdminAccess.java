package org.cpmrouter.routes.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who may reach the admin API: on a loopback address only local users can, so a token is optional there (when
 * one is set, it is still required); on any other address the router refuses to start without one.
 */
public final class AdminAccess {

    /** The setting that holds the token. */
    public static final String TOKEN_KEY = "cpm.admin.token";

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private AdminAccess() {
    }

    /**
     * Refuses an admin API bound off loopback without a token.
     *
     * @throws IllegalArgumentException naming {@value #TOKEN_KEY} and the address
     */
    public static void requireTokenOffLoopback(String host, String token) {
        if (!isLoopback(host) && (token == null || token.isBlank())) {
            throw new IllegalArgumentException(TOKEN_KEY + " must be set: the admin API is bound to " + host
                    + " (cpm.admin.host), which is not a loopback address, and would let anyone who reaches it "
                    + "change groups and rules. Set a long random token (e.g. CPM_ADMIN_TOKEN=$(openssl rand "
                    + "-hex 32)), or bind the admin API to 127.0.0.1.");
        }
    }

    /**
     * Whether host is a loopback address: {@code localhost}, or an IP literal in 127.0.0.0/8 or {@code ::1}. A host
     * name other than localhost counts as not loopback (it is not resolved: DNS may change after the check), and so
     * do the wildcard addresses {@code 0.0.0.0} and {@code ::}, which bind every interface.
     */
    public static boolean isLoopback(String host) {
        String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        if (IPV4_LITERAL.matcher(h).matches()) {
            for (String octet : h.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return h.startsWith("127.");
        }
        if (!h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // an IPv6 literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
