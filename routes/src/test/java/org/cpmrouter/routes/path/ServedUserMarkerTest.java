package org.cpmrouter.routes.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ServedUserMarkerTest {

    private final Message message = new DefaultExchange(new DefaultCamelContext()).getMessage();

    @Test
    void should_walk_every_leg_once_when_marked_in_path_order() {
        assertEquals(Leg.NEW, ServedUserMarker.read(message));
        ServedUserMarker.handTo(message, "sip:alice@cpm.example.com", true);
        assertEquals(Leg.AT_ORIGINATING_PARTICIPATING, ServedUserMarker.read(message));
        ServedUserMarker.markServed(message);
        assertEquals(Leg.ORIGINATING_DONE, ServedUserMarker.read(message));
        ServedUserMarker.handTo(message, "sip:bob@cpm.example.com", false);
        assertEquals(Leg.AT_TERMINATING_PARTICIPATING, ServedUserMarker.read(message));
        assertEquals("sip:bob@cpm.example.com", ServedUserMarker.servedUser(message));
        ServedUserMarker.markServed(message);
        ServedUserMarker.markServed(message);
        assertEquals(Leg.TERMINATING_DONE, ServedUserMarker.read(message));
        assertEquals("<sip:bob@cpm.example.com>;sescase=term;regstate=reg", message.getHeader("P-Served-User"));
        assertEquals("term", message.getHeader("P-CPM-Served-Leg"));
        ServedUserMarker.clear(message);
        assertEquals(Leg.NEW, ServedUserMarker.read(message));
    }

    @Test
    void should_read_marker_as_the_sip_stack_reencodes_it() {
        // the JAIN-SIP RI writes regstate before sescase
        message.setHeader("P-Served-User", "<sip:alice@cpm.example.com>;regstate=reg;sescase=orig");
        assertEquals(Leg.AT_ORIGINATING_PARTICIPATING, ServedUserMarker.read(message));
        message.setHeader("P-CPM-Served-Leg", " ORIG ");
        assertEquals(Leg.ORIGINATING_DONE, ServedUserMarker.read(message));
    }

    @Test
    void should_refuse_to_mark_served_when_no_leg_was_handed_over() {
        assertThrows(IllegalStateException.class, () -> ServedUserMarker.markServed(message));
    }
}
