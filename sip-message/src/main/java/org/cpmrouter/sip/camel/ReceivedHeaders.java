package org.cpmrouter.sip.camel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sip.header.Header;

/**
 * The headers of a received request as parsed by the stack, each with the text values {@link SipMessageBinding#toCamel}
 * gave the Exchange for it. When the request goes on, a header whose Exchange values are still exactly these is
 * cloned rather than parsed again from its text (the RI's parse is the costly part of building a request); one the
 * route changed, added or removed is built from its text as before. A clone is a deep copy: no header object is
 * shared between two messages, and the objects kept here are only read.
 *
 * <p>Keyed by the exact header name the Exchange got, so a route that sets a header under another spelling goes
 * the text way and keeps its spelling on the wire. Holds no body and no reference to the request itself.
 */
public final class ReceivedHeaders {

    /** What the Exchange got for one header name: its values in order and the header objects they came from. */
    private record Received(List<String> values, List<Header> headers) {
    }

    private final Map<String, Received> byName = new HashMap<>();

    ReceivedHeaders() {
    }

    /** Records a header name with the values the Exchange got and the parsed headers behind them, in the same order. */
    void put(String name, List<String> values, List<Header> headers) {
        if (values.size() != headers.size()) {
            throw new IllegalArgumentException("values and headers of " + name + " differ in number");
        }
        byName.put(name, new Received(List.copyOf(values), List.copyOf(headers)));
    }

    /**
     * Copies of the received headers of {@code name} when the Exchange still has exactly the values they were
     * received with; null when the route changed them (or the request never had them).
     */
    List<Header> copiesIfUnchanged(String name, Collection<String> values) {
        Received received = byName.get(name);
        if (received == null || !received.values().equals(values)) {
            return null;
        }
        List<Header> copies = new ArrayList<>(received.headers().size());
        for (Header header : received.headers()) {
            copies.add((Header) header.clone());
        }
        return copies;
    }

    /** A copy of the single received header of {@code name} when its value is still {@code value}; else null. */
    Header copyIfUnchanged(String name, String value) {
        List<Header> copies = copiesIfUnchanged(name, List.of(value));
        return copies == null ? null : copies.get(0);
    }

    @Override
    public String toString() {
        return "ReceivedHeaders" + byName.keySet(); // names only: an Exchange dump must not show values twice
    }
}
