package org.cpmrouter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin command line without a server: arguments, the request each command makes, exit status, output. */
class CpmAdminCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<URI> admins = new ArrayList<>();
    private final List<CpmAdminCli.Call> calls = new ArrayList<>();
    private CpmAdminCli.Answer answer = new CpmAdminCli.Answer(200, "{}".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private String typedPassword = "s3cret pass";

    private int run(String... args) {
        CpmAdminCli cli = new CpmAdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), (admin, call) -> {
                    admins.add(admin);
                    calls.add(call);
                    return answer;
                }, forWhom -> typedPassword);
        return cli.run(args);
    }

    @Test
    void should_put_the_typed_password_of_a_subscriber_and_never_print_it() {
        assertEquals(0, run("subscribers", "set-password", "alice"), err());

        CpmAdminCli.Call call = onlyCall();
        assertEquals("PUT", call.method());
        assertEquals("/admin/subscribers/sip%3Aalice%40cpm.example.com/password", call.path());
        assertEquals("application/json", call.contentType());
        assertEquals("s3cret pass", ((Map<?, ?>) MiniJson.parse(call.bodyText())).get("password"));
        assertEquals("password of sip:alice@cpm.example.com set\n", out());
        assertTrue(!out().contains("s3cret") && !err().contains("s3cret"));
    }

    @Test
    void should_change_nothing_when_no_password_is_given_and_refuse_bad_subscriber_commands() {
        typedPassword = null;
        assertEquals(1, run("subscribers", "set-password", "alice"));
        assertTrue(err().contains("no password given"), err());
        assertEquals(2, run("subscribers"));
        assertEquals(2, run("subscribers", "set-password"));
        assertEquals(2, run("subscribers", "rename", "alice"));
        assertEquals(2, run("subscribers", "show", "alice", "--name", "x"));
        assertTrue(calls.isEmpty(), calls.toString());
    }

    @Test
    void should_show_a_subscriber_and_whether_a_password_is_set() {
        answer(200, "{\"uri\":\"sip:bob@cpm.example.com\",\"telAliases\":[\"tel:+15551230002\"],\"cpmEnabled\":true,"
                + "\"barred\":false,\"passwordSet\":true,\"digestUsername\":\"bob\",\"digestRealm\":\"cpm.example.com\"}");

        assertEquals(0, run("subscribers", "show", "bob"), err());

        assertEquals("GET", onlyCall().method());
        assertEquals("/admin/subscribers/sip%3Abob%40cpm.example.com", onlyCall().path());
        assertTrue(out().contains("password:       set (digest username bob, realm cpm.example.com)"), out());
        assertTrue(out().contains("tel:+15551230002"), out());
    }

    @Test
    void create_posts_the_subscriber_with_its_numbers_flags_and_the_piped_password() {
        answer(201, "{\"uri\":\"sip:dave@cpm.example.com\",\"telAliases\":[\"tel:+15551230004\"],"
                + "\"cpmEnabled\":false,\"barred\":true,\"passwordSet\":true}");
        assertEquals(0, run("subscribers", "create", "sip:dave@cpm.example.com", "--tel", "+15551230004",
                "--password-stdin", "--barred", "--no-cpm"), err());

        CpmAdminCli.Call call = onlyCall();
        assertEquals("POST", call.method());
        assertEquals("/admin/subscribers", call.path());
        assertEquals(Map.of("uri", "sip:dave@cpm.example.com", "telAliases", List.of("tel:+15551230004"),
                "cpmEnabled", false, "barred", true, "password", "s3cret pass"), MiniJson.parse(call.bodyText()));
        assertEquals("created sip:dave@cpm.example.com (tel:+15551230004; barred; no CPM; password set)\n", out());
        assertFalse(out().contains("s3cret") || err().contains("s3cret"));
    }

    @Test
    void update_bar_unbar_and_delete_change_only_what_they_say() {
        answer(200, "{\"uri\":\"sip:dave@cpm.example.com\",\"telAliases\":[],\"cpmEnabled\":true,"
                + "\"barred\":false,\"passwordSet\":false}");
        assertEquals(0, run("subscribers", "update", "dave", "--no-tel", "--cpm"), err());
        assertEquals(0, run("subscribers", "bar", "+15551230004"), err());
        assertEquals(0, run("subscribers", "unbar", "dave"), err());
        answer(204, "");
        assertEquals(0, run("subscribers", "delete", "dave"), err());

        assertEquals(List.of("PUT", "PUT", "PUT", "DELETE"), calls.stream().map(CpmAdminCli.Call::method).toList());
        assertEquals("/admin/subscribers/sip%3Adave%40cpm.example.com", calls.get(0).path());
        assertEquals(Map.of("telAliases", List.of(), "cpmEnabled", true), MiniJson.parse(calls.get(0).bodyText()));
        assertEquals("/admin/subscribers/tel%3A%2B15551230004", calls.get(1).path());
        assertEquals("{\"barred\":true}", calls.get(1).bodyText());
        assertEquals("{\"barred\":false}", calls.get(2).bodyText());
        assertEquals("/admin/subscribers/sip%3Adave%40cpm.example.com", calls.get(3).path());
        assertTrue(out().endsWith("deleted sip:dave@cpm.example.com\n"), out());
    }

    @Test
    void subscriber_usage_errors_name_the_option_and_send_nothing() {
        assertEquals(2, run("subscribers", "create", "dave", "--tel", "555-0100"));
        assertTrue(err().startsWith("cpm-admin: --tel takes a global number, + and digits (+15551230004), got"
                + " '555-0100'"), err());
        assertEquals(2, run("subscribers", "create", "dave", "--pasword-stdin"));
        assertTrue(err().contains("cpm-admin: unknown option --pasword-stdin"), err());
        assertEquals(2, run("subscribers", "bar", "dave", "--barred"));
        assertTrue(err().contains("subscribers bar takes no --barred"), err());
        assertEquals(2, run("subscribers", "update", "dave"));
        assertTrue(err().contains("subscribers update needs a change"), err());
        assertEquals(2, run("subscribers", "update", "dave", "--cpm", "--no-cpm"));
        assertEquals(2, run("groups", "list", "--barred"));
        assertEquals(2, run("subscribers", "list", "--page", "x"));
        assertEquals(2, run("subscribers", "import"));
        typedPassword = "";
        assertEquals(1, run("subscribers", "create", "dave", "--password-stdin"));
        assertTrue(err().contains("--password-stdin: standard input has no password"), err());
        assertTrue(calls.isEmpty(), calls.toString());
    }

    @Test
    void list_asks_for_the_page_and_says_how_to_get_the_next() {
        answer(200, "{\"page\":2,\"pageSize\":50,\"pages\":3,\"total\":120,\"subscribers\":["
                + "{\"uri\":\"sip:alice@cpm.example.com\",\"telAliases\":[\"tel:+15551230001\"],\"cpmEnabled\":true,"
                + "\"barred\":false,\"passwordSet\":true}]}");
        assertEquals(0, run("subscribers", "list", "--page", "2"), err());
        assertEquals("/admin/subscribers?page=2", onlyCall().path());
        assertEquals("sip:alice@cpm.example.com  tel:+15551230001; password set\n"
                + "page 2 of 3 (120 subscribers); next: --page 3\n", out());
    }

    @Test
    void import_posts_the_csv_and_prints_each_refused_line_as_file_line_message() throws IOException {
        Path csv = dir.resolve("new.csv");
        Files.writeString(csv, "sip:dave@cpm.example.com, , true, false\n");
        answer(409, "{\"error\":\"1 problem(s) in the CSV; nothing imported\",\"problems\":[{\"line\":1,"
                + "\"message\":\"tel:+1 already belongs to sip:alice@cpm.example.com\"}]}");
        assertEquals(1, run("subscribers", "import", csv.toString()));
        assertEquals("POST", onlyCall().method());
        assertEquals("text/csv; charset=utf-8", onlyCall().contentType());
        assertEquals("cpm-admin: 409 1 problem(s) in the CSV; nothing imported\n"
                + csv + ":1: tel:+1 already belongs to sip:alice@cpm.example.com\n", err());

        assertEquals(1, run("subscribers", "import", dir.resolve("missing.csv").toString()));
        assertTrue(err().endsWith("cpm-admin: cannot read " + dir.resolve("missing.csv") + ": no such file\n"),
                err());
    }

    @Test
    void export_asks_for_csv_and_writes_the_file() throws IOException {
        answer(200, "# header\nsip:alice@cpm.example.com, tel:+15551230001, true, false,\n");
        Path csv = dir.resolve("all.csv");
        assertEquals(0, run("subscribers", "export", csv.toString()), err());
        assertEquals("text/csv", onlyCall().accept());
        assertEquals("# header\nsip:alice@cpm.example.com, tel:+15551230001, true, false,\n", Files.readString(csv));
        assertEquals("exported 1 subscribers to " + csv + " (without passwords)\n", out());
    }

    private void answer(int status, String body) {
        answer = new CpmAdminCli.Answer(status, body.getBytes(StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private CpmAdminCli.Call onlyCall() {
        assertEquals(1, calls.size(), calls.toString());
        return calls.get(0);
    }

    @Test
    void usage_errors_exit_2_without_a_request() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("usage: cpm-admin groups list"));
        assertEquals(2, run("groups"));
        assertEquals(2, run("users", "list"));
        assertEquals(2, run("groups", "frobnicate"));
        assertEquals(2, run("groups", "show"));
        assertEquals(2, run("groups", "show", "a", "b"));
        assertEquals(2, run("groups", "create", "family"));
        assertEquals(2, run("groups", "add-member", "family"));
        assertEquals(2, run("groups", "list", "--bogus", "x"));
        assertEquals(2, run("groups", "list", "--admin"));
        assertEquals(2, run("groups", "list", "--name", "x"));
        assertEquals(2, run("groups", "list", "--admin", "127.0.0.1:8081"));
        assertEquals(2, run("groups", "import"));
        assertTrue(calls.isEmpty(), calls.toString());
        assertTrue(err().contains("usage:"));
    }

    @Test
    void list_gets_the_groups_from_the_default_admin_url() {
        answer(200, "[{\"uri\":\"sip:family@cpm.example.com\",\"displayName\":\"Family\",\"members\":"
                + "[\"sip:alice@cpm.example.com\",\"sip:bob@cpm.example.com\"],\"sendPolicy\":\"MEMBERS_ONLY\","
                + "\"allowedSenders\":[],\"supportedServices\":[]}]");
        assertEquals(0, run("groups", "list"));
        CpmAdminCli.Call call = onlyCall();
        assertEquals("GET", call.method());
        assertEquals("/admin/groups", call.path());
        assertEquals(URI.create("http://127.0.0.1:8081"), admins.get(0));
        assertEquals("sip:family@cpm.example.com  \"Family\"  2 members  MEMBERS_ONLY\n", out());
    }

    @Test
    void show_expands_a_short_group_name_and_encodes_it() {
        answer(200, "{\"uri\":\"sip:family@cpm.example.com\",\"displayName\":\"Family\",\"members\":"
                + "[\"sip:alice@cpm.example.com\"],\"sendPolicy\":\"MEMBERS_ONLY\",\"allowedSenders\":[],"
                + "\"supportedServices\":[]}");
        assertEquals(0, run("--admin", "http://10.0.0.1:9000/", "groups", "show", "family"));
        assertEquals("/admin/groups/sip%3Afamily%40cpm.example.com", onlyCall().path());
        assertEquals("http://10.0.0.1:9000/admin/groups/sip%3Afamily%40cpm.example.com",
                onlyCall().toHttpRequest(admins.get(0)).uri().toString());
        assertTrue(out().contains("  name:           Family"), out());
        assertTrue(out().contains("    sip:alice@cpm.example.com"), out());
    }

    @Test
    void create_posts_the_group_as_json_with_expanded_members() {
        answer(201, "{}");
        assertEquals(0, run("groups", "create", "family", "--name", "The \"Family\"", "--member", "alice",
                "--member", "+15551230002", "--member", "sip:carol@other.example.org", "--domain", "cpm.example.com"));
        CpmAdminCli.Call call = onlyCall();
        assertEquals("POST", call.method());
        assertEquals("/admin/groups", call.path());
        assertEquals("application/json", call.contentType());
        assertEquals(Map.of("uri", "sip:family@cpm.example.com", "displayName", "The \"Family\"",
                        "members", List.of("sip:alice@cpm.example.com", "tel:+15551230002",
                                "sip:carol@other.example.org")),
                MiniJson.parse(call.bodyText()));
        assertEquals("created sip:family@cpm.example.com (3 members)\n", out());
    }

    @Test
    void short_names_follow_domain() {
        answer(201, "[]");
        assertEquals(0, run("groups", "add-member", "family", "dave", "--domain", "example.net"));
        CpmAdminCli.Call call = onlyCall();
        assertEquals("POST", call.method());
        assertEquals("/admin/groups/sip%3Afamily%40example.net/members", call.path());
        assertEquals("{\"member\":\"sip:dave@example.net\"}", call.bodyText());
        assertEquals("added sip:dave@example.net to sip:family@example.net\n", out());
    }

    @Test
    void add_member_says_when_already_a_member() {
        answer(200, "[]");
        assertEquals(0, run("groups", "add-member", "family", "dave"));
        assertEquals("sip:dave@cpm.example.com is already a member of sip:family@cpm.example.com\n", out());
    }

    @Test
    void remove_member_and_delete_use_delete_with_encoded_paths() {
        answer(204, "");
        assertEquals(0, run("groups", "remove-member", "family", "+15551230002"));
        assertEquals(0, run("groups", "delete", "sip:family@cpm.example.com"));
        assertEquals("DELETE", calls.get(0).method());
        assertEquals("/admin/groups/sip%3Afamily%40cpm.example.com/members/tel%3A%2B15551230002", calls.get(0).path());
        assertNull(calls.get(0).body());
        assertEquals("DELETE", calls.get(1).method());
        assertEquals("/admin/groups/sip%3Afamily%40cpm.example.com", calls.get(1).path());
    }

    @Test
    void a_refusal_prints_the_servers_error_and_exits_1() {
        answer(409, "{\"error\":\"group sip:family@cpm.example.com already exists\"}");
        assertEquals(1, run("groups", "create", "family", "--name", "Family"));
        assertEquals("cpm-admin: 409 group sip:family@cpm.example.com already exists\n", err());
        assertEquals("", out());
    }

    @Test
    void a_non_json_refusal_is_shown_as_is() {
        answer(404, "<html><body><h1>Resource not found</h1></body></html>");
        assertEquals(1, run("groups", "list"));
        assertTrue(err().contains("404 <html>"), err());
    }

    @Test
    void an_unreachable_server_exits_1() {
        CpmAdminCli cli = new CpmAdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), (admin, call) -> {
                    throw new ConnectException("Connection refused");
                });
        assertEquals(1, cli.run("groups", "list"));
        assertTrue(err().contains("cannot reach the admin API at http://127.0.0.1:8081: Connection refused"), err());
    }

    @Test
    void export_writes_the_document_to_a_file_or_stdout() throws IOException {
        answer(200, "<group/>\n");
        Path file = dir.resolve("family.xml");
        assertEquals(0, run("groups", "export", "family", file.toString()));
        assertEquals("GET", onlyCall().method());
        assertEquals("/admin/groups/sip%3Afamily%40cpm.example.com/document", onlyCall().path());
        assertEquals("<group/>\n", Files.readString(file));
        assertEquals(0, run("groups", "export", "family"));
        assertTrue(out().endsWith("<group/>\n"), out());
    }

    @Test
    void import_puts_the_file_to_the_uri_it_names() throws IOException {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <group xmlns="urn:oma:xml:poc:list-service">
                  <list-service uri="sip:family@cpm.example.com">
                    <display-name>Family</display-name>
                    <list><entry uri="sip:alice@cpm.example.com"/></list>
                  </list-service>
                </group>
                """;
        Path file = dir.resolve("family.xml");
        Files.writeString(file, xml);
        answer(201, "{}");
        assertEquals(0, run("groups", "import", file.toString()));
        CpmAdminCli.Call call = onlyCall();
        assertEquals("PUT", call.method());
        assertEquals("/admin/groups/sip%3Afamily%40cpm.example.com/document", call.path());
        assertEquals("application/xml", call.contentType());
        assertEquals(xml, call.bodyText());
        assertTrue(out().startsWith("imported new group sip:family@cpm.example.com"), out());
    }

    @Test
    void import_refuses_files_it_cannot_read_without_a_request() throws IOException {
        Path xxe = dir.resolve("xxe.xml");
        Files.writeString(xxe, "<?xml version=\"1.0\"?><!DOCTYPE group [<!ENTITY u SYSTEM \"file:///etc/hostname\">]>"
                + "<group xmlns=\"urn:oma:xml:poc:list-service\"><list-service uri=\"&u;\"/></group>");
        assertEquals(1, run("groups", "import", xxe.toString()));
        assertTrue(err().contains("DOCTYPE"), err());
        Path noUri = dir.resolve("no-uri.xml");
        Files.writeString(noUri, "<group xmlns=\"urn:oma:xml:poc:list-service\"><list-service/></group>");
        assertEquals(1, run("groups", "import", noUri.toString()));
        assertTrue(err().contains("has no uri"), err());
        Path other = dir.resolve("other.xml");
        Files.writeString(other, "<resource-lists/>");
        assertEquals(1, run("groups", "import", other.toString()));
        assertTrue(err().contains("no list-service element"), err());
        assertEquals(1, run("groups", "import", dir.resolve("missing.xml").toString()));
        assertTrue(err().contains("cannot read"), err());
        assertTrue(calls.isEmpty(), calls.toString());
    }

    @Test
    void mini_json_reads_and_writes_the_flat_shapes() {
        Object parsed = MiniJson.parse(" {\"a\": [1, 2.5, true, null, \"x\\\"y\\u00e9\\n\"], \"b\": {}} ");
        assertEquals("{\"a\":[1,2.5,true,null,\"x\\\"yé\\n\"],\"b\":{}}", MiniJson.write(parsed));
        assertEquals(2, run("groups", "list", "extra"));
    }

    @Test
    void the_token_comes_from_the_option_else_from_the_environment_and_goes_in_a_bearer_header() {
        Map<String, String> env = Map.of(CpmAdminCli.TOKEN_ENV, "from-env");
        assertEquals("from-option", CpmAdminCli.Options.parse(new String[] {"groups", "list", "--token", "from-option"})
                .token(env));
        assertEquals("from-env", CpmAdminCli.Options.parse(new String[] {"groups", "list"}).token(env));
        assertNull(CpmAdminCli.Options.parse(new String[] {"groups", "list"}).token(Map.of()));
        answer(200, "[]");
        assertEquals(0, run("groups", "list", "--token", "t"));
        CpmAdminCli.Call call = onlyCall();
        assertEquals("Bearer s3cret", call.toHttpRequest(URI.create("http://127.0.0.1:8081"), "s3cret").headers()
                .firstValue("Authorization").orElseThrow());
        assertTrue(call.toHttpRequest(URI.create("http://127.0.0.1:8081")).headers().firstValue("Authorization")
                .isEmpty());
    }

    @Test
    void a_401_says_how_to_give_the_token() {
        answer(401, "{\"error\": \"admin token missing or wrong\"}");
        assertEquals(1, run("groups", "list"));
        assertTrue(err().contains("401 admin token missing or wrong"), err());
        assertTrue(err().contains("--token TOKEN or CPM_ADMIN_TOKEN"), err());
    }
}
