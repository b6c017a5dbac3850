package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoDataLoaderTest {

    @TempDir
    Path dir;

    private final SubscriberStore store = new InMemorySubscriberStore();

    @Test
    void should_load_the_four_shipped_demo_subscribers_when_store_is_empty() {
        int loaded = DemoDataLoader.loadIfEmpty(store, TestPaths.DEMO_SUBSCRIBERS_CSV);

        assertEquals(4, loaded);
        assertEquals(List.of(
                new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, false),
                new Subscriber("sip:bob@cpm.example.com", List.of("tel:+15551230002"), true, false),
                new Subscriber("sip:carol@cpm.example.com", List.of("tel:+15551230003"), true, false),
                new Subscriber("sip:mallory@cpm.example.com", List.of("tel:+15551230009"), true, true)),
                store.list());
        assertEquals("sip:mallory@cpm.example.com",
                store.findByIdentity("tel:+15551230009").orElseThrow().publicIdentity());
    }

    @Test
    void should_load_nothing_when_store_is_not_empty() {
        Subscriber existing = new Subscriber("sip:dave@cpm.example.com", List.of(), true, false);
        store.save(existing);

        int loaded = DemoDataLoader.loadIfEmpty(store, TestPaths.DEMO_SUBSCRIBERS_CSV);

        assertEquals(0, loaded);
        assertEquals(List.of(existing), store.list());
    }

    @Test
    void should_accept_empty_alias_field_and_spaced_aliases_when_parsing() throws IOException {
        Path csv = write("""
                # comment

                sip:dave@cpm.example.com, , false, false
                sip:erin@cpm.example.com,tel:+1  tel:+2 ,TRUE,False
                """);

        assertEquals(2, DemoDataLoader.loadIfEmpty(store, csv));

        assertEquals(Optional.of(new Subscriber("sip:dave@cpm.example.com", List.of(), false, false)),
                store.findByIdentity("sip:dave@cpm.example.com"));
        assertEquals(Optional.of(new Subscriber("sip:erin@cpm.example.com", List.of("tel:+1", "tel:+2"), true, false)),
                store.findByIdentity("tel:+2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sip:bad@cpm.example.com, tel:+19, true",
            "sip:bad@cpm.example.com, tel:+19, true, false, extra",
            "sip:bad@cpm.example.com, tel:+19, yes, false",
            "sip:bad@cpm.example.com, tel:+19, true, ",
            " , tel:+19, true, false",
            "sip:bad@cpm.example.com, tel:+19 tel:+19, true, false",
            "sip:bad@cpm.example.com, tel:+15551230001, true, false"})
    void should_throw_naming_file_and_line_and_save_nothing_when_a_line_is_malformed(String badLine) throws IOException {
        Path csv = write("""
                # demo
                sip:alice@cpm.example.com, tel:+15551230001, true, false

                %s
                sip:zed@cpm.example.com, , true, false
                """.formatted(badLine));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoDataLoader.loadIfEmpty(store, csv));

        assertTrue(e.getMessage().contains(csv.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
        assertEquals(0, store.count());
    }

    private Path write(String content) throws IOException {
        Path csv = dir.resolve("subscribers.csv");
        Files.writeString(csv, content);
        return csv;
    }
}
