package org.cpmrouter.sip.camel;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The headers of a Camel message as a SIP router uses them: names match whatever their case ({@code call-id} finds
 * {@code Call-ID}, as RFC 3261 §7.3.1 reads names), each keeps the case it was first put with, and iteration goes in
 * the order names were first put (a SIP message's own order, when the binding copies one in).
 *
 * <p>Camel's default map is a {@code TreeMap} ordered case-insensitively: each lookup compares the name with about
 * five others, and at the four decisions and eight hops of a message that was 3.7 % of the router's CPU
 * (bench/README.md). Here a name is hashed on its length and a few of its characters, folded, and compared only with
 * names of the same hash. Null names are refused, as Camel's map refuses them; values may be null. Not thread-safe,
 * like the map it replaces.
 */
public final class CaseInsensitiveHeaders extends AbstractMap<String, Object> {

    private static final int INITIAL_BUCKETS = 32;

    private Node[] buckets = new Node[INITIAL_BUCKETS];
    private Node first;
    private Node last;
    private int size;
    private int changes;

    public CaseInsensitiveHeaders() {
    }

    /** A map holding {@code headers}' entries, in their iteration order. */
    public CaseInsensitiveHeaders(Map<String, Object> headers) {
        putAll(headers);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object name) {
        return node(name) != null;
    }

    @Override
    public Object get(Object name) {
        Node node = node(name);
        return node == null ? null : node.value;
    }

    @Override
    public Object put(String name, Object value) {
        int hash = hash(Objects.requireNonNull(name, "header name"));
        Node known = find(name, hash);
        if (known != null) {
            Object previous = known.value;
            known.value = value;
            return previous;
        }
        int index = hash & (buckets.length - 1);
        Node node = new Node(name, hash, value);
        node.nextInBucket = buckets[index];
        buckets[index] = node;
        node.before = last;
        if (last == null) {
            first = node;
        } else {
            last.after = node;
        }
        last = node;
        size++;
        changes++;
        if (size > buckets.length * 3 / 4) {
            grow();
        }
        return null;
    }

    @Override
    public Object remove(Object name) {
        Node node = node(name);
        if (node == null) {
            return null;
        }
        unlink(node);
        return node.value;
    }

    @Override
    public void clear() {
        if (size > 0) {
            Arrays.fill(buckets, null);
            first = null;
            last = null;
            size = 0;
            changes++;
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new InOrder();
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public void clear() {
                CaseInsensitiveHeaders.this.clear();
            }
        };
    }

    private Node node(Object name) {
        if (!(name instanceof String text)) {
            Objects.requireNonNull(name, "header name");
            return null;
        }
        return find(text, hash(text));
    }

    /** The entry of {@code name}, whose {@link #hash} is {@code hash}: compared only with names of that hash. */
    private Node find(String name, int hash) {
        for (Node n = buckets[hash & (buckets.length - 1)]; n != null; n = n.nextInBucket) {
            if (n.hash == hash && n.key.equalsIgnoreCase(name)) { // the same String object: one comparison
                return n;
            }
        }
        return null;
    }

    private void unlink(Node node) {
        int index = node.hash & (buckets.length - 1);
        Node previous = null;
        for (Node n = buckets[index]; n != null; previous = n, n = n.nextInBucket) {
            if (n == node) {
                if (previous == null) {
                    buckets[index] = n.nextInBucket;
                } else {
                    previous.nextInBucket = n.nextInBucket;
                }
                break;
            }
        }
        if (node.before == null) {
            first = node.after;
        } else {
            node.before.after = node.after;
        }
        if (node.after == null) {
            last = node.before;
        } else {
            node.after.before = node.before;
        }
        size--;
        changes++;
    }

    private void grow() {
        Node[] larger = new Node[buckets.length * 2];
        for (Node n = first; n != null; n = n.after) {
            int index = n.hash & (larger.length - 1);
            n.nextInBucket = larger[index];
            larger[index] = n;
        }
        buckets = larger;
    }

    /**
     * Equal for names that {@link String#equalsIgnoreCase} finds equal: their length and five of their characters,
     * each folded as that method folds it. Not every character: a lookup's cost was the hash over the whole name
     * (Camel's own names are long and share their start), and two names with one hash are told apart by
     * {@code equalsIgnoreCase}, which is one reference comparison for the constant names the routes use.
     */
    static int hash(String name) {
        int n = name.length();
        if (n == 0) {
            return 0;
        }
        int h = n;
        h = 31 * h + fold(name.charAt(0));
        h = 31 * h + fold(name.charAt(n - 1));
        h = 31 * h + fold(name.charAt(n >> 1));
        h = 31 * h + fold(name.charAt(n / 3));
        h = 31 * h + fold(name.charAt(n - 1 - n / 3));
        return h ^ (h >>> 16);
    }

    private static int fold(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    private static final class Node implements Map.Entry<String, Object> {
        private final String key;
        private final int hash;
        private Object value;
        private Node nextInBucket;
        private Node before;
        private Node after;

        Node(String key, int hash, Object value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public Object getValue() {
            return value;
        }

        @Override
        public Object setValue(Object newValue) {
            Object previous = value;
            value = newValue;
            return previous;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && Objects.equals(value, e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    /** The entries in the order their names were first put; {@link #remove} removes the last one returned. */
    private final class InOrder implements Iterator<Entry<String, Object>> {
        private Node next = first;
        private Node returned;
        private int expectedChanges = changes;

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry<String, Object> next() {
            if (changes != expectedChanges) {
                throw new ConcurrentModificationException();
            }
            if (next == null) {
                throw new NoSuchElementException();
            }
            returned = next;
            next = next.after;
            return returned;
        }

        @Override
        public void remove() {
            if (returned == null) {
                throw new IllegalStateException();
            }
            if (changes != expectedChanges) {
                throw new ConcurrentModificationException();
            }
            unlink(returned);
            returned = null;
            expectedChanges = changes;
        }
    }
}
