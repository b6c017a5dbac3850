package org.cpmrouter.sip.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The headers map the router gives Camel: Camel's case rules, a hash map's cost, the order names came in. */
class CaseInsensitiveHeadersTest {

    @Test
    void should_find_a_header_whatever_the_case_of_its_name_and_keep_the_first_case() {
        Map<String, Object> headers = new CaseInsensitiveHeaders();
        headers.put("Call-ID", "a@h");
        assertEquals("a@h", headers.get("call-id"));
        assertEquals("a@h", headers.get("CALL-ID"));
        assertTrue(headers.containsKey("cAlL-iD"));

        assertEquals("a@h", headers.put("CALL-ID", "b@h"));
        assertEquals(1, headers.size());
        assertEquals(List.of("Call-ID"), new ArrayList<>(headers.keySet()));
        assertEquals("b@h", headers.get("Call-ID"));

        assertEquals("b@h", headers.remove("call-id"));
        assertTrue(headers.isEmpty());
        assertNull(headers.get("Call-ID"));
        assertNull(headers.remove("Call-ID"));
    }

    @Test
    void should_iterate_in_the_order_names_were_first_put() {
        Map<String, Object> headers = new CaseInsensitiveHeaders();
        for (String name : List.of("Via", "From", "To", "Call-ID", "CSeq", "Content-Type")) {
            headers.put(name, name.length());
        }
        headers.remove("to");
        headers.put("To", 2);
        headers.put("via", 4);
        assertEquals(List.of("Via", "From", "Call-ID", "CSeq", "Content-Type", "To"),
                new ArrayList<>(headers.keySet()));
        assertEquals(4, headers.get("Via"));
    }

    @Test
    void should_remove_through_its_iterators_and_refuse_a_change_behind_one() {
        Map<String, Object> headers = new CaseInsensitiveHeaders();
        for (int i = 0; i < 10; i++) {
            headers.put("X-Header-" + i, i);
        }
        headers.keySet().removeIf(name -> name.endsWith("3") || name.endsWith("0"));
        headers.entrySet().removeIf(e -> (Integer) e.getValue() > 7);
        assertEquals(List.of("X-Header-1", "X-Header-2", "X-Header-4", "X-Header-5", "X-Header-6", "X-Header-7"),
                new ArrayList<>(headers.keySet()));
        assertNull(headers.get("x-header-3"));

        Iterator<String> names = headers.keySet().iterator();
        names.next();
        headers.put("Late", 1);
        assertThrows(ConcurrentModificationException.class, names::next);
        Iterator<String> again = headers.keySet().iterator();
        assertThrows(IllegalStateException.class, again::remove);
    }

    @Test
    void should_refuse_a_null_name_and_keep_a_null_value() {
        Map<String, Object> headers = new CaseInsensitiveHeaders();
        assertThrows(NullPointerException.class, () -> headers.put(null, "v"));
        assertThrows(NullPointerException.class, () -> headers.get(null));
        headers.put("Subject", null);
        assertTrue(headers.containsKey("subject"));
        assertNull(headers.get("subject"));
        assertFalse(headers.containsKey(42));
    }

    @Test
    void should_agree_with_a_case_insensitive_tree_map_over_many_random_changes() {
        Random random = new Random(5365);
        String[] names = {"Via", "VIA", "via", "From", "from", "Call-ID", "call-id", "CSeq", "cseq", "To", "t",
            "Content-Type", "content-TYPE", "P-Asserted-Identity", "p-asserted-identity", "Accept-Contact",
            "Straße", "STRASSE", "Ä", "ä", "İ", "i", "I", "ı"};
        Map<String, Object> ours = new CaseInsensitiveHeaders();
        Map<String, Object> camel = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int step = 0; step < 20_000; step++) {
            String name = names[random.nextInt(names.length)] + (random.nextInt(4) == 0 ? random.nextInt(80) : "");
            switch (random.nextInt(5)) {
                case 0, 1 -> assertEquals(camel.put(name, step), ours.put(name, step), name);
                case 2 -> assertEquals(camel.remove(name), ours.remove(name), name);
                case 3 -> assertEquals(camel.get(name), ours.get(name), name);
                default -> assertEquals(camel.containsKey(name), ours.containsKey(name), name);
            }
            assertEquals(camel.size(), ours.size());
        }
        assertEquals(camel.keySet().size(), ours.keySet().size());
        for (Map.Entry<String, Object> e : ours.entrySet()) {
            assertEquals(camel.get(e.getKey()), e.getValue(), e.getKey());
        }
    }

    @Test
    void should_be_the_map_of_a_camel_message_once_the_factory_is_set() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getCamelContextExtension().setHeadersMapFactory(new SipHeadersMapFactory());
            Exchange exchange = new DefaultExchange(context);
            Message message = exchange.getMessage();
            message.setHeader("Call-ID", "c@h");
            message.setHeader("Max-Forwards", 70);
            assertEquals("c@h", message.getHeader("call-id", String.class));
            assertTrue(message.getHeaders() instanceof CaseInsensitiveHeaders);

            Exchange copy = exchange.copy();
            assertEquals(70, copy.getMessage().getHeader("max-forwards"));
            assertTrue(copy.getMessage().getHeaders() instanceof CaseInsensitiveHeaders);
            copy.getMessage().setHeader("MAX-FORWARDS", 69);
            assertEquals(70, message.getHeader("Max-Forwards"), "a copy's headers are its own");

            Map<String, Object> mine = new CaseInsensitiveHeaders();
            mine.put("To", "sip:bob@h");
            message.setHeaders(mine);
            assertSame(mine, message.getHeaders(), "a map of the factory's kind is taken as it is");
        }
    }
}
