package org.cpmrouter.routes.path;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;

/**
 * A request's SIP headers as {@code "Name: value"} lines, the form in which a message kept for later (a group
 * message's journal, a message held for an offline recipient) is stored, and back: the headers of a request sent
 * from it. A repeated header is one line per value and comes back as a list, in order.
 */
public final class HeaderLines {

    private HeaderLines() {
    }

    /** The message's SIP headers but those named in {@code leftOut} (any case) and Camel's own. */
    public static List<String> of(Message message, Collection<String> leftOut) {
        List<String> lines = new ArrayList<>();
        message.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("Camel") && leftOut.stream().noneMatch(name::equalsIgnoreCase)) {
                for (Object v : value instanceof List<?> list ? list : List.of(value)) {
                    lines.add(name + ": " + v);
                }
            }
        });
        return lines;
    }

    /** The headers of recorded lines: one value, or a list for a repeated header. */
    public static Map<String, Object> headers(List<String> lines) {
        Map<String, Object> headers = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (old, added) -> {
                List<Object> all = new ArrayList<>(old instanceof List<?> l ? l : List.of(old));
                all.add(added);
                return all;
            });
        }
        return headers;
    }
}
