package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.CpmAdminCli;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.groupstore.DigestCredentials;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning as an operator does it: {@code cpm-admin subscribers ...} against a router started for real (the
 * shipped configuration, its Infinispan store with file stores under a temporary data directory), and the
 * provisioned subscribers then using SIP over 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisioningIT {

    static final String FAMILY = "sip:family@cpm.example.com";

    @TempDir
    static Path dataDir;
    @TempDir
    Path files;

    private RouterFixture fixture;
    private RouterFixture.Inbox bob;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeAll
    void start() throws Exception {
        fixture = RouterFixture.start(dataDir);
        bob = fixture.registered("bob");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** cpm-admin against this router; {@code stdin} is what a pipe gives {@code --password-stdin}. */
    private int admin(String stdin, String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "--admin";
        all[1] = "http://127.0.0.1:" + fixture.adminPort;
        System.arraycopy(args, 0, all, 2, args.length);
        return CpmAdminCli.withPasswords(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), forWhom -> stdin).run(all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private SubscriberStore store() {
        return fixture.router.stores().subscribers();
    }

    @Test
    void should_let_a_created_subscriber_register_and_send_to_bob_and_bar_him_at_once() throws Exception {
        assertEquals(0, admin("secret", "subscribers", "create", "sip:dave@cpm.example.com", "--tel", "+15551230004",
                "--password-stdin"), err());
        assertEquals("created sip:dave@cpm.example.com (tel:+15551230004; password set)\n", out());
        // stored as digests for the router's realm, under the user part as digest username
        assertEquals(DigestCredentials.fromPassword("dave", "cpm.example.com", "secret"),
                store().findByIdentity("tel:+15551230004").orElseThrow().credentials());

        CpmClient dave = fixture.clientWithPassword("dave", "udp", "secret");
        assertEquals(200, dave.register(600).get(10, TimeUnit.SECONDS).status());
        assertEquals(200, dave.send(RouterFixture.uri("bob"), "hello from dave").get(10, TimeUnit.SECONDS).status());
        ReceivedMessage received = bob.next();
        assertNotNull(received, "bob got nothing");
        assertEquals("hello from dave", received.text());
        assertEquals(RouterFixture.uri("dave"), received.sender());

        assertEquals(0, admin(null, "subscribers", "bar", "+15551230004"), err());
        assertEquals("barred sip:dave@cpm.example.com (tel:+15551230004; barred; password set)\n", out());
        assertEquals(403, dave.send(RouterFixture.uri("bob"), "still there?").get(10, TimeUnit.SECONDS).status());
        assertEquals(0, admin(null, "subscribers", "unbar", "dave"), err());
        assertEquals(200, dave.send(RouterFixture.uri("bob"), "back").get(10, TimeUnit.SECONDS).status());
        assertEquals("back", bob.next().text());

        // a subscriber exists once, and an alias belongs to one subscriber
        assertEquals(1, admin(null, "subscribers", "create", "dave"));
        assertTrue(err().startsWith("cpm-admin: 409 subscriber sip:dave@cpm.example.com already exists"), err());
        assertEquals(1, admin(null, "subscribers", "create", "erin", "--tel", "+15551230004"));
        assertEquals("cpm-admin: 409 tel:+15551230004 already belongs to sip:dave@cpm.example.com\n", err());
        assertEquals(1, admin(null, "subscribers", "update", "alice", "--tel", "+15551230004"));
        assertEquals("cpm-admin: 409 tel:+15551230004 already belongs to sip:dave@cpm.example.com\n", err());
        assertTrue(store().findByIdentity("sip:erin@cpm.example.com").isEmpty());
        assertEquals(List.of("tel:+15551230001"), store().findByIdentity("sip:alice@cpm.example.com").orElseThrow()
                .telAliases());

        // every change is one audit line: who, what, when; never the password
        Path audit = dataDir.resolve("audit/admin.jsonl");
        List<String> lines = AuditLog.awaitLines(audit, l -> l.contains("\"action\":\"subscriber.update\"")
                && l.contains("\"change\":{\"barred\":false}"));
        assertEquals(1, lines.size(), lines.toString());
        List<String> all = Files.readAllLines(audit);
        assertTrue(all.stream().anyMatch(l -> l.contains("\"action\":\"subscriber.create\"")
                && l.contains("\"target\":\"sip:dave@cpm.example.com\"") && l.contains("\"password\":\"set\"")
                && l.contains("\"address\":\"127.0.0.1:") && l.contains("\"time\":\"")), all.toString());
        assertTrue(all.stream().noneMatch(l -> l.contains("secret")), all.toString());
        assertTrue(all.stream().noneMatch(l -> l.contains("erin")), "a refusal changes nothing: " + all);
    }

    @Test
    void should_refuse_a_group_member_who_is_not_provisioned_and_take_him_once_he_is() throws Exception {
        assertEquals(1, admin(null, "groups", "add-member", FAMILY, "zoe"));
        assertTrue(err().startsWith("cpm-admin: 422 sip:zoe@cpm.example.com cannot be a member of " + FAMILY), err());
        assertTrue(err().contains("cpm-admin subscribers create sip:zoe@cpm.example.com"), err());
        assertFalse(fixture.router.stores().groups().isMember(FAMILY, "sip:zoe@cpm.example.com"));

        // a number no subscriber has is a non-CPM user, reached by SMS
        assertEquals(0, admin(null, "groups", "add-member", FAMILY, "+15559990001"), err());

        // provisioned without a password (cannot sign in yet), then a member
        assertEquals(0, admin(null, "subscribers", "create", "zoe"), err());
        assertEquals("created sip:zoe@cpm.example.com (no password)\n", out());
        assertEquals(0, admin(null, "groups", "add-member", FAMILY, "zoe"), err());
        assertTrue(fixture.router.stores().groups().isMember(FAMILY, "sip:zoe@cpm.example.com"));

        // deleted: out of the group too, so no group message is sent to nobody
        assertEquals(0, admin(null, "subscribers", "delete", "zoe"), err());
        assertFalse(fixture.router.stores().groups().isMember(FAMILY, "sip:zoe@cpm.example.com"));
        assertTrue(store().findByIdentity("sip:zoe@cpm.example.com").isEmpty());
        assertEquals(1, admin(null, "subscribers", "delete", "zoe"));
        assertEquals("cpm-admin: 404 no subscriber sip:zoe@cpm.example.com\n", err());
        assertEquals(0, admin(null, "groups", "remove-member", FAMILY, "+15559990001"), err());
    }

    @Test
    void should_import_all_lines_or_none_and_export_without_passwords() throws Exception {
        long before = store().count();
        Path bad = files.resolve("new.csv");
        Files.writeString(bad, """
                # two new subscribers, one of them on a number carol has
                sip:fay@cpm.example.com, tel:+15551230011, true, false, fay-pw
                sip:gil@cpm.example.com, tel:+15551230003, true, false
                """);
        assertEquals(1, admin(null, "subscribers", "import", bad.toString()));
        assertEquals("cpm-admin: 409 1 problem(s) in the CSV; nothing imported\n" + bad + ":3: tel:+15551230003"
                + " already belongs to sip:carol@cpm.example.com, which this file does not change"
                + " (sip:gil@cpm.example.com cannot have it)\n", err());
        Files.writeString(bad, Files.readString(bad).replace("tel:+15551230003, true, false", "tel:+15551230012, true"));
        assertEquals(1, admin(null, "subscribers", "import", bad.toString()));
        assertTrue(err().contains(bad + ":3: expected 4 or 5 comma-separated fields"), err());
        assertEquals(before, store().count(), "nothing imported");

        Path good = files.resolve("good.csv");
        Files.writeString(good, """
                sip:fay@cpm.example.com, tel:+15551230011, true, false, fay-pw
                sip:gil@cpm.example.com, tel:+15551230012, false, true
                sip:carol@cpm.example.com, tel:+15551230003 tel:+15551230013, true, false
                """);
        assertEquals(0, admin(null, "subscribers", "import", good.toString()), err());
        assertEquals("imported " + good + ": 2 created, 1 updated\n", out());
        assertEquals(new Subscriber("sip:gil@cpm.example.com", List.of("tel:+15551230012"), false, true),
                store().findByIdentity("tel:+15551230012").orElseThrow());
        // carol kept her password (no password on her line), fay has the file's, hashed
        assertEquals(DigestCredentials.fromPassword("carol", "cpm.example.com", "carol-demo"),
                store().findByIdentity("tel:+15551230013").orElseThrow().credentials());
        CpmClient fay = fixture.clientWithPassword("fay", "udp", "fay-pw");
        assertEquals(200, fay.register(600).get(10, TimeUnit.SECONDS).status());

        Path exported = files.resolve("export.csv");
        assertEquals(0, admin(null, "subscribers", "export", exported.toString()), err());
        String csv = Files.readString(exported);
        assertTrue(csv.contains("sip:fay@cpm.example.com, tel:+15551230011, true, false,\n"), csv);
        assertTrue(csv.contains("sip:gil@cpm.example.com, tel:+15551230012, false, true,\n"), csv);
        assertFalse(csv.contains("fay-pw") || csv.contains("demo")
                || csv.contains(DigestCredentials.fromPassword("fay", "cpm.example.com", "fay-pw").ha1Md5()), csv);
        assertTrue(out().startsWith("exported " + store().count() + " subscribers to " + exported), out());

        // the export imports back as it is: nothing changes, passwords included
        List<Subscriber> now = store().list();
        assertEquals(0, admin(null, "subscribers", "import", exported.toString()), err());
        assertEquals(now, store().list());
    }

    @Test
    void should_list_subscribers_by_page() throws Exception {
        assertEquals(0, admin(null, "subscribers", "list"), err());
        assertTrue(out().contains("sip:mallory@cpm.example.com  tel:+15551230009; barred; password set\n"), out());
        assertTrue(out().endsWith("page 1 of 1 (" + store().count() + " subscribers)\n"), out());

        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.adminPort + "/admin/subscribers?page=2&size=2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().startsWith("{\"page\":2,\"pageSize\":2,\"pages\":"), page.body());
        assertTrue(page.body().contains("\"uri\":\"sip:carol@cpm.example.com\""), page.body());
        assertFalse(page.body().contains("ha1") || page.body().contains("demo\""), page.body());
        assertEquals(2, admin(null, "subscribers", "list", "--page", "0"));
        assertTrue(err().startsWith("cpm-admin: --page is a page number from 1, got '0'"), err());
    }
}
