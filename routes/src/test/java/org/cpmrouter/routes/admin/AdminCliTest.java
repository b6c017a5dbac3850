package org.cpmrouter.routes.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.cpmrouter.client.CpmAdminCli;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.groupstore.InMemoryGroupStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cpm-admin} command line against the admin API over real HTTP on 127.0.0.1. */
class AdminCliTest {

    static final String FAMILY = "sip:family@cpm.example.com";

    private final GroupStore groups = new InMemoryGroupStore();
    private AdminApiServer server;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = AdminApiServer.start(groups, new AdminTestDocumentCodec());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int admin(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "--admin";
        all[1] = server.base.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return new CpmAdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void should_manage_a_group_from_the_command_line() throws Exception {
        assertEquals(0, admin("groups", "list"), err());
        assertEquals("no groups\n", out());

        assertEquals(0, admin("groups", "create", "family", "--name", "Family", "--member", "alice", "--member", "bob"),
                err());
        assertEquals(Optional.of(Group.of(FAMILY, "Family",
                List.of("sip:alice@cpm.example.com", "sip:bob@cpm.example.com"))), groups.find(FAMILY));
        assertEquals(1, admin("groups", "create", "family", "--name", "Again"));
        assertEquals("cpm-admin: 409 group sip:family@cpm.example.com already exists\n", err());

        assertEquals(0, admin("groups", "add-member", "family", "+15551230003"), err());
        assertEquals("added tel:+15551230003 to sip:family@cpm.example.com\n", out());
        assertEquals(0, admin("groups", "add-member", "family", "+15551230003"), err());
        assertTrue(out().contains("already a member"), out());
        assertEquals(0, admin("groups", "remove-member", "family", "bob"), err());
        assertEquals(List.of("sip:alice@cpm.example.com", "tel:+15551230003"), groups.members(FAMILY));
        assertEquals(1, admin("groups", "remove-member", "family", "bob"));
        assertTrue(err().contains("404 sip:bob@cpm.example.com is not a member"), err());

        assertEquals(0, admin("groups", "list"), err());
        assertEquals("sip:family@cpm.example.com  \"Family\"  2 members  MEMBERS_ONLY\n", out());
        assertEquals(0, admin("groups", "show", FAMILY), err());
        assertTrue(out().contains("    tel:+15551230003"), out());

        assertEquals(0, admin("groups", "delete", "family"), err());
        assertTrue(groups.find(FAMILY).isEmpty());
        assertEquals(1, admin("groups", "show", "family"));
        assertEquals("cpm-admin: 404 no group sip:family@cpm.example.com\n", err());
    }

    @Test
    void should_export_and_import_the_document() throws Exception {
        groups.create(Group.of(FAMILY, "Family", List.of("sip:alice@cpm.example.com")));
        Path file = dir.resolve("family.xml");
        assertEquals(0, admin("groups", "export", "family", file.toString()), err());
        assertTrue(Files.readString(file).contains("list-service uri=\"" + FAMILY + "\""));

        groups.delete(FAMILY);
        assertEquals(0, admin("groups", "import", file.toString()), err());
        assertTrue(out().startsWith("imported new group " + FAMILY), out());
        assertEquals(Optional.of(Group.of(FAMILY, "Family", List.of("sip:alice@cpm.example.com"))), groups.find(FAMILY));

        Files.writeString(file, Files.readString(file).replace("sip:alice@cpm.example.com", " "));
        assertEquals(1, admin("groups", "import", file.toString()));
        assertTrue(err().startsWith("cpm-admin: 400 group document " + FAMILY), err());
        assertEquals(List.of("sip:alice@cpm.example.com"), groups.members(FAMILY));
    }

    @Test
    void should_import_the_demo_document_with_the_xdm_codec() throws Exception {
        server.close();
        server = AdminApiServer.start(groups, GroupDocumentCodec.xdm());
        Path demo = Path.of(System.getProperty("cpm.home", "..")).resolve("config/demo/groups/family.xml");
        assertEquals(0, admin("groups", "import", demo.toString()), err());
        Group family = groups.find(FAMILY).orElseThrow();
        assertEquals(List.of("sip:alice@cpm.example.com", "sip:bob@cpm.example.com", "sip:carol@cpm.example.com"),
                family.members());
        Path exported = dir.resolve("family.xml");
        assertEquals(0, admin("groups", "export", "family", exported.toString()), err());
        groups.delete(FAMILY);
        assertEquals(0, admin("groups", "import", exported.toString()), err());
        assertEquals(Optional.of(family), groups.find(FAMILY));
    }

    @Test
    void should_set_a_subscribers_password_from_the_command_line_hashed_for_the_realm() throws Exception {
        var subscribers = new org.cpmrouter.groupstore.InMemorySubscriberStore();
        subscribers.save(new org.cpmrouter.groupstore.Subscriber("sip:alice@cpm.example.com",
                List.of("tel:+15551230001"), true, false));
        server.close();
        server = AdminApiServer.start(groups, new AdminTestDocumentCodec(), subscribers);

        assertEquals(0, adminWithPassword("n3w pass", "subscribers", "show", "alice"), err());
        assertTrue(out().contains("password:       none: cannot authenticate"), out());

        assertEquals(0, adminWithPassword("n3w pass", "subscribers", "set-password", "+15551230001"), err());
        assertEquals("password of tel:+15551230001 set\n", out());
        assertEquals(org.cpmrouter.groupstore.DigestCredentials.fromPassword("alice", "cpm.example.com", "n3w pass"),
                subscribers.findByDigestUsername("alice").orElseThrow().credentials());

        assertEquals(0, adminWithPassword("n3w pass", "subscribers", "show", "alice"), err());
        assertTrue(out().contains("set (digest username alice, realm cpm.example.com)"), out());
        assertTrue(!out().contains("n3w pass"), out());

        assertEquals(1, adminWithPassword("x", "subscribers", "set-password", "nobody"));
        assertEquals("cpm-admin: 404 no subscriber sip:nobody@cpm.example.com\n", err());
        var raw = server.json("PUT", "/admin/subscribers/" + AdminApiServer.enc("sip:alice@cpm.example.com")
                + "/password", "{\"password\":\"\"}");
        assertEquals(400, raw.statusCode(), raw.body());
        raw = server.json("PUT", "/admin/subscribers/" + AdminApiServer.enc("sip:alice@cpm.example.com")
                + "/password", "{\"password\":\"x\",\"ha1\":\"y\"}");
        assertEquals(400, raw.statusCode(), raw.body());
    }

    private int adminWithPassword(String password, String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "--admin";
        all[1] = server.base.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CpmAdminCli.withPasswords(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), forWhom -> password).run(all);
    }

    @Test
    void should_exit_1_when_nothing_listens() throws Exception {
        int port = AdminApiServer.freePort();
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        int status = new CpmAdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
                .run("groups", "list", "--admin", "http://127.0.0.1:" + port);
        assertEquals(1, status);
        assertTrue(err().startsWith("cpm-admin: cannot reach the admin API at http://127.0.0.1:" + port), err());
    }
}
