package org.cpmrouter.routes.path;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.camel.Message;

/**
 * The network-internal header with which the URI-list service tells a Pre-defined Group's Controlling Function
 * which recipients of the list it reaches directly, so that a member reached both directly and through the group
 * gets one copy: the Controlling Function leaves them out of its fan-out. Believed only from trusted peers (a
 * client could otherwise silence members) and removed before a request reaches a client, like the leg marker.
 */
public final class ListRecipients {

    /** The header: the canonical identities, comma separated. */
    public static final String HEADER = "P-CPM-List-Recipients";

    private ListRecipients() {
    }

    /** The header's value for these identities. */
    public static String value(Collection<String> identities) {
        return String.join(",", identities);
    }

    /** The identities a request's header names (empty when it has none). */
    public static Set<String> read(Message message) {
        Object value = message.getHeader(HEADER);
        Set<String> identities = new LinkedHashSet<>();
        if (value == null) {
            return identities;
        }
        for (Object one : value instanceof Collection<?> c ? c : java.util.List.of(value)) {
            Arrays.stream(one.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .forEach(identities::add);
        }
        return identities;
    }
}
