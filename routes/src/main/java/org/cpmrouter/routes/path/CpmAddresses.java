package org.cpmrouter.routes.path;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns the addresses found in requests into the canonical identities the store and the rules use:
 * {@code "Alice" <sip:alice@127.0.0.1:5061>;tag=x} is {@code sip:alice@cpm.example.com} when 127.0.0.1 is one of
 * the home domain's aliases; {@code sip:+1-555-123-0001@cpm.example.com;user=phone} and
 * {@code tel:+1-555-123-0001} are {@code tel:+15551230001}. Ports, parameters and display names go.
 */
public final class CpmAddresses {

    private static final Pattern VISUAL_SEPARATORS = Pattern.compile("[-.()\\s]");
    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?[0-9][-0-9.()]*");

    private final String domain;
    private final Set<String> localHosts = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    public CpmAddresses(String domain, Collection<String> aliases) {
        this.domain = domain.toLowerCase(Locale.ROOT);
        localHosts.add(this.domain);
        localHosts.addAll(aliases);
    }

    public String domain() {
        return domain;
    }

    /** True when the host is the home domain or one of its aliases. */
    public boolean isLocalHost(String host) {
        return localHosts.contains(host);
    }

    /**
     * The canonical identity in a name-addr, addr-spec or bare URI; {@code null} when there is no usable
     * {@code sip:}, {@code sips:} or {@code tel:} URI in it.
     */
    public String canonical(String text) {
        if (text == null) {
            return null;
        }
        String uri = text.trim();
        int lt = uri.indexOf('<');
        if (lt >= 0) {
            int gt = uri.indexOf('>', lt + 1);
            if (gt < 0) {
                return null;
            }
            uri = uri.substring(lt + 1, gt).trim();
        }
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = uri.substring(colon + 1);
        if (scheme.equals("tel")) {
            return tel(rest.split(";", 2)[0]);
        }
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return null;
        }
        String params = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            rest = rest.substring(0, question);
        }
        int at = rest.lastIndexOf('@');
        String user = at >= 0 ? rest.substring(0, at) : null;
        String hostPart = at >= 0 ? rest.substring(at + 1) : rest;
        int semi = hostPart.indexOf(';');
        if (semi >= 0) {
            params = hostPart.substring(semi).toLowerCase(Locale.ROOT);
            hostPart = hostPart.substring(0, semi);
        }
        if (user != null && user.indexOf(':') >= 0) {
            user = user.substring(0, user.indexOf(':')); // drop a password
        }
        String host = hostPart.startsWith("[") ? hostPart.substring(0, hostPart.indexOf(']') + 1)
                : hostPart.split(":", 2)[0];
        host = host.toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            return null;
        }
        if (user != null && params.contains("user=phone") && PHONE_NUMBER.matcher(user).matches()) {
            return tel(user);
        }
        if (localHosts.contains(host)) {
            host = domain;
        }
        return user == null || user.isEmpty() ? "sip:" + host : "sip:" + user + "@" + host;
    }

    private static String tel(String number) {
        String digits = VISUAL_SEPARATORS.matcher(number.trim()).replaceAll("");
        return digits.isEmpty() ? null : "tel:" + digits;
    }
}
