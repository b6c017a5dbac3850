package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class SubscriberTest {

    @Test
    void should_list_public_identity_first_then_aliases_when_asked_for_identities() {
        Subscriber s = new Subscriber("sip:alice@cpm.example.com", List.of("tel:+1", "tel:+2"), true, false);

        assertEquals(List.of("sip:alice@cpm.example.com", "tel:+1", "tel:+2"), s.identities());
    }

    @Test
    void should_not_change_when_the_caller_changes_its_alias_list() {
        List<String> aliases = new ArrayList<>(List.of("tel:+1"));
        Subscriber s = new Subscriber("sip:alice@cpm.example.com", aliases, true, false);

        aliases.add("tel:+2");

        assertEquals(List.of("tel:+1"), s.telAliases());
        assertThrows(UnsupportedOperationException.class, () -> s.telAliases().add("tel:+3"));
    }

    @Test
    void should_throw_when_identity_or_aliases_are_null() {
        assertThrows(NullPointerException.class, () -> new Subscriber(null, List.of(), true, false));
        assertThrows(NullPointerException.class, () -> new Subscriber("sip:a@x", null, true, false));
        assertThrows(NullPointerException.class, () -> new Subscriber("sip:a@x", Arrays.asList("tel:+1", null), true, false));
    }

    @Test
    void should_throw_when_an_identity_is_blank_or_repeated() {
        assertThrows(IllegalArgumentException.class, () -> new Subscriber(" ", List.of(), true, false));
        assertThrows(IllegalArgumentException.class, () -> new Subscriber("sip:a@x", List.of(""), true, false));
        assertThrows(IllegalArgumentException.class, () -> new Subscriber("sip:a@x", List.of("tel:+1", "tel:+1"), true, false));
        assertThrows(IllegalArgumentException.class, () -> new Subscriber("sip:a@x", List.of("sip:a@x"), true, false));
    }
}
