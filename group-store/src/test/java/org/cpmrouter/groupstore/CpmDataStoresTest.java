package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpmDataStoresTest {

    @TempDir
    Path tmp;

    @Test
    void should_keep_subscribers_and_bindings_when_restarted_on_the_same_data_dir() {
        Path dataDir = tmp.resolve("data");
        MutableClock clock = new MutableClock(Instant.now());
        Subscriber alice = new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, false);
        Subscriber mallory = new Subscriber("sip:mallory@cpm.example.com", List.of("tel:+15551230009"), true, true);
        Binding binding;
        try (CpmDataStores stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir, clock)) {
            stores.subscribers().save(alice);
            stores.subscribers().save(mallory);
            binding = stores.registrations().bind(alice.publicIdentity(), "sip:alice@192.0.2.10:5060", 3600, "call-1", 1);
        }

        clock.advance(Duration.ofSeconds(10));
        try (CpmDataStores stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir, clock)) {
            assertEquals(List.of(alice, mallory), stores.subscribers().list());
            assertEquals(Optional.of(mallory), stores.subscribers().findByIdentity("tel:+15551230009"));
            assertEquals(List.of(binding), stores.registrations().activeBindings(alice.publicIdentity()));
        }
    }

    @Test
    void should_create_the_data_dir_and_keep_the_file_stores_under_it_when_started() {
        Path dataDir = tmp.resolve("nested").resolve("data");

        try (CpmDataStores stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir)) {
            stores.subscribers().save(new Subscriber("sip:a@x", List.of(), true, false));
            stores.groups().create(Group.of("sip:g@x", "G", List.of("sip:a@x")));
        }

        assertTrue(Files.isDirectory(dataDir.resolve("subscribers")), "file store of subscribers under data dir");
        assertTrue(Files.isDirectory(dataDir.resolve("subscriber-identities")));
        assertTrue(Files.isDirectory(dataDir.resolve("registrations")));
        assertTrue(Files.isDirectory(dataDir.resolve("groups")));
    }

    @Test
    void should_throw_when_a_file_store_points_outside_the_data_dir() throws IOException {
        Path outside = tmp.resolve("elsewhere").toAbsolutePath();
        Path xml = writeConfig("""
                <local-cache name="subscribers"><persistence><file-store path="%s"/></persistence></local-cache>
                <local-cache name="subscriber-identities"/>
                <local-cache name="registrations"/>
                <local-cache name="groups"/>
                """.formatted(outside));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpmDataStores.start(xml, tmp.resolve("data")));

        assertTrue(e.getMessage().contains("'subscribers'") && e.getMessage().contains("outside the data directory"),
                e.getMessage());
    }

    @Test
    void should_resolve_a_relative_file_store_path_under_the_data_dir_when_started() throws IOException {
        Path xml = writeConfig("""
                <local-cache name="subscribers">
                  <encoding media-type="application/x-protostream"/>
                  <persistence><file-store path="custom/subs" segmented="false"/></persistence>
                </local-cache>
                <local-cache name="subscriber-identities"/>
                <local-cache name="registrations"/>
                <local-cache name="groups"/>
                """);
        Path dataDir = tmp.resolve("data");

        try (CpmDataStores stores = CpmDataStores.start(xml, dataDir)) {
            stores.subscribers().save(new Subscriber("sip:a@x", List.of(), true, false));
        }

        assertTrue(Files.isDirectory(dataDir.resolve("custom").resolve("subs")), "relative path resolved under data dir");
    }

    @Test
    void should_start_when_the_xml_registers_the_schema_as_well() throws IOException {
        Path xml = tmp.resolve("with-serialization.xml");
        Files.writeString(xml, """
                <infinispan xmlns="urn:infinispan:config:16.1">
                  <cache-container>
                    <serialization>
                      <context-initializer class="org.cpmrouter.groupstore.GroupStoreSchemaImpl"/>
                    </serialization>
                    <local-cache name="subscribers"><encoding media-type="application/x-protostream"/></local-cache>
                    <local-cache name="subscriber-identities"><encoding media-type="application/x-protostream"/></local-cache>
                    <local-cache name="registrations"><encoding media-type="application/x-protostream"/></local-cache>
                    <local-cache name="groups"><encoding media-type="application/x-protostream"/></local-cache>
                  </cache-container>
                </infinispan>
                """);
        Subscriber alice = new Subscriber("sip:alice@cpm.example.com", List.of("tel:+1"), true, false);

        try (CpmDataStores stores = CpmDataStores.start(xml, tmp.resolve("data"))) {
            stores.subscribers().save(alice);
            assertEquals(Optional.of(alice), stores.subscribers().findByIdentity("tel:+1"));
        }
    }

    @Test
    void should_still_list_count_and_find_every_subscriber_when_memory_evicted_some_to_the_file_store()
            throws IOException {
        Path xml = writeConfig("""
                <local-cache name="subscribers">
                  <encoding media-type="application/x-protostream"/>
                  <memory max-count="2"/>
                  <persistence><file-store segmented="false"/></persistence>
                </local-cache>
                <local-cache name="subscriber-identities">
                  <encoding media-type="application/x-protostream"/>
                  <memory max-count="2"/>
                  <persistence><file-store segmented="false"/></persistence>
                </local-cache>
                <local-cache name="registrations"/>
                <local-cache name="groups"/>
                """);
        List<Subscriber> saved = new ArrayList<>();
        try (CpmDataStores stores = CpmDataStores.start(xml, tmp.resolve("data"))) {
            for (int i = 0; i < 6; i++) {
                Subscriber s = new Subscriber("sip:user" + i + "@cpm.example.com", List.of("tel:+100" + i), true, false);
                stores.subscribers().save(s);
                saved.add(s);
            }

            int inMemory = stores.cacheManager().getCache(InfinispanSubscriberStore.SUBSCRIBERS_CACHE)
                    .getAdvancedCache().getDataContainer().size();
            assertTrue(inMemory <= 2, "eviction kept " + inMemory + " subscribers in memory");

            assertEquals(saved, stores.subscribers().list());
            assertEquals(6, stores.subscribers().count());
            for (Subscriber s : saved) {
                assertEquals(Optional.of(s), stores.subscribers().findByIdentity(s.telAliases().get(0)));
            }
        }
    }

    @Test
    void should_throw_when_a_required_cache_is_not_configured() throws IOException {
        Path xml = writeConfig("""
                <local-cache name="subscribers"/>
                <local-cache name="subscriber-identities"/>
                """);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpmDataStores.start(xml, tmp.resolve("data")));

        assertTrue(e.getMessage().contains("registrations"), e.getMessage());
    }

    @Test
    void should_throw_when_the_groups_cache_is_not_configured() throws IOException {
        Path xml = writeConfig("""
                <local-cache name="subscribers"/>
                <local-cache name="subscriber-identities"/>
                <local-cache name="registrations"/>
                """);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpmDataStores.start(xml, tmp.resolve("data")));

        assertTrue(e.getMessage().contains("'groups'"), e.getMessage());
    }

    @Test
    void should_provide_working_stores_when_started_in_memory() {
        MutableClock clock = MutableClock.atSomeInstant();
        try (CpmDataStores stores = CpmDataStores.startInMemory(clock)) {
            stores.subscribers().save(new Subscriber("sip:a@x", List.of("tel:+1"), true, false));
            stores.registrations().bind("sip:a@x", "sip:a@192.0.2.1", 60, "c", 1);
            stores.groups().create(Group.of("sip:g@x", "G", List.of("sip:a@x")));
            assertTrue(stores.groups().isMember("sip:g@x", "sip:a@x"));

            assertEquals("sip:a@x", stores.subscribers().findByIdentity("tel:+1").orElseThrow().publicIdentity());
            clock.advance(Duration.ofSeconds(60));
            assertEquals(List.of(), stores.registrations().activeBindings("sip:a@x"));
        }
    }

    private Path writeConfig(String caches) throws IOException {
        Path xml = tmp.resolve("test-infinispan.xml");
        Files.writeString(xml, """
                <infinispan xmlns="urn:infinispan:config:16.1">
                  <cache-container>
                %s
                  </cache-container>
                </infinispan>
                """.formatted(caches));
        return xml;
    }
}
