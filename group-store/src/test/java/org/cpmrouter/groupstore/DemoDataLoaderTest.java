package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void should_load_the_four_shipped_demo_subscribers_with_hashed_demo_passwords_when_store_is_empty() {
        int loaded = DemoDataLoader.loadIfEmpty(store, TestPaths.DEMO_SUBSCRIBERS_CSV, "cpm.example.com");

        assertEquals(4, loaded);
        assertEquals(List.of(
                demo("alice", "tel:+15551230001", false),
                demo("bob", "tel:+15551230002", false),
                demo("carol", "tel:+15551230003", false),
                demo("mallory", "tel:+15551230009", true)),
                store.list());
        // computed outside Java: echo -n "alice:cpm.example.com:alice-demo" | md5sum
        assertEquals("0efdaac88e795d7baa241f6eb0efb45d", store.findByDigestUsername("alice").orElseThrow()
                .credentials().ha1Md5());
        assertEquals("sip:mallory@cpm.example.com",
                store.findByIdentity("tel:+15551230009").orElseThrow().publicIdentity());
    }

    private static Subscriber demo(String user, String tel, boolean barred) {
        return new Subscriber("sip:" + user + "@cpm.example.com", List.of(tel), true, barred)
                .withCredentials(DigestCredentials.fromPassword(user, "cpm.example.com", user + "-demo"));
    }

    @Test
    void should_hash_for_the_given_realm_and_take_the_identity_host_when_none_is_given() throws IOException {
        Path csv = write("sip:dave@cpm.example.com, , true, false, dave-pw\n");

        DemoDataLoader.loadIfEmpty(store, csv, "realm.example.net");
        assertEquals("realm.example.net", store.findByDigestUsername("dave").orElseThrow().credentials().realm());

        SubscriberStore other = new InMemorySubscriberStore();
        DemoDataLoader.loadIfEmpty(other, csv);
        assertEquals(DigestCredentials.fromPassword("dave", "cpm.example.com", "dave-pw"),
                other.findByDigestUsername("dave").orElseThrow().credentials());
    }

    @Test
    void should_load_the_four_field_format_without_credentials_and_an_empty_password_as_none() throws IOException {
        Path csv = write("""
                sip:dave@cpm.example.com, , true, false
                sip:erin@cpm.example.com, , true, false,\s
                """);

        assertEquals(2, DemoDataLoader.loadIfEmpty(store, csv, "cpm.example.com"));

        assertFalse(store.findByIdentity("sip:dave@cpm.example.com").orElseThrow().hasCredentials());
        assertFalse(store.findByIdentity("sip:erin@cpm.example.com").orElseThrow().hasCredentials());
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
            "sip:bad@cpm.example.com, tel:+19, true, false, pw, extra",
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

        assertTrue(e.getMessage().startsWith(csv + ":4: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertEquals(0, store.count());
    }

    private Path write(String content) throws IOException {
        Path csv = dir.resolve("subscribers.csv");
        Files.writeString(csv, content);
        return csv;
    }

    @Test
    void should_load_the_shipped_family_group_when_the_group_store_is_empty() {
        GroupStore groups = new InMemoryGroupStore();

        int loaded = DemoDataLoader.loadGroupsIfEmpty(groups, TestPaths.DEMO_GROUPS_DIR);

        assertEquals(1, loaded);
        Group family = groups.find("sip:family@cpm.example.com").orElseThrow();
        assertEquals("Family", family.displayName());
        assertEquals(List.of("sip:alice@cpm.example.com", "sip:bob@cpm.example.com", "sip:carol@cpm.example.com"),
                family.members());
        assertEquals(SendPolicy.MEMBERS_ONLY, family.sendPolicy());
    }

    @Test
    void should_load_no_group_when_the_group_store_is_not_empty() throws IOException {
        GroupStore groups = new InMemoryGroupStore();
        Group existing = Group.of("sip:work@cpm.example.com", "Work", List.of("sip:bob@cpm.example.com"));
        groups.create(existing);

        assertEquals(0, DemoDataLoader.loadGroupsIfEmpty(groups, TestPaths.DEMO_GROUPS_DIR));

        assertEquals(List.of(existing), groups.list());
    }

    @Test
    void should_load_every_xml_document_of_the_folder_and_skip_other_files() throws IOException {
        Path groupsDir = Files.createDirectories(dir.resolve("groups"));
        Files.write(groupsDir.resolve("a.xml"), XdmGroupDocuments.write(Group.of("sip:a@cpm.example.com", "A", List.of())));
        Files.write(groupsDir.resolve("b.xml"), XdmGroupDocuments.write(Group.of("sip:b@cpm.example.com", "B", List.of())));
        Files.writeString(groupsDir.resolve("README.txt"), "not a group");
        GroupStore groups = new InMemoryGroupStore();

        assertEquals(2, DemoDataLoader.loadGroupsIfEmpty(groups, groupsDir));

        assertEquals(List.of("sip:a@cpm.example.com", "sip:b@cpm.example.com"),
                groups.list().stream().map(Group::uri).toList());
    }

    @Test
    void should_load_nothing_when_the_folder_does_not_exist() {
        GroupStore groups = new InMemoryGroupStore();

        assertEquals(0, DemoDataLoader.loadGroupsIfEmpty(groups, dir.resolve("missing")));
        assertEquals(0, groups.count());
    }

    @Test
    void should_import_no_group_when_one_document_of_the_folder_is_refused() throws IOException {
        Path groupsDir = Files.createDirectories(dir.resolve("groups"));
        Files.write(groupsDir.resolve("a-good.xml"), XdmGroupDocuments.write(Group.of("sip:a@cpm.example.com", "A", List.of())));
        Files.writeString(groupsDir.resolve("b-bad.xml"), """
                <group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:b@cpm.example.com">
                <list><entry uri="sip:x@cpm.example.com"/><entry uri="sip:x@cpm.example.com"/></list>
                </list-service></group>""");
        Files.write(groupsDir.resolve("c-good.xml"), XdmGroupDocuments.write(Group.of("sip:c@cpm.example.com", "C", List.of())));
        GroupStore groups = new InMemoryGroupStore();

        XdmDocumentException e = assertThrows(XdmDocumentException.class,
                () -> DemoDataLoader.loadGroupsIfEmpty(groups, groupsDir));

        assertTrue(e.getMessage().contains("b-bad.xml"), e.getMessage());
        assertEquals(0, groups.count(), "nothing is half-imported");
    }

    @Test
    void should_import_no_group_when_two_documents_define_the_same_group() throws IOException {
        Path groupsDir = Files.createDirectories(dir.resolve("groups"));
        Files.write(groupsDir.resolve("one.xml"), XdmGroupDocuments.write(Group.of("sip:a@cpm.example.com", "A", List.of())));
        Files.write(groupsDir.resolve("two.xml"), XdmGroupDocuments.write(Group.of("sip:a@cpm.example.com", "A2", List.of())));
        GroupStore groups = new InMemoryGroupStore();

        XdmDocumentException e = assertThrows(XdmDocumentException.class,
                () -> DemoDataLoader.loadGroupsIfEmpty(groups, groupsDir));

        assertTrue(e.getMessage().contains("two.xml") && e.getMessage().contains("one.xml"), e.getMessage());
        assertEquals(0, groups.count());
    }
}
