package org.cpmrouter.routes.admin;

import static org.cpmrouter.routes.admin.AdminApiServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cpmrouter.groupstore.CpmDataStores;
import org.cpmrouter.groupstore.DigestCredentials;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.Subscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /admin/subscribers} in JSON and CSV over real HTTP on 127.0.0.1, on the Infinispan stores of the shipped
 * {@code config/infinispan.xml} in a temporary data directory: the rules a caller meets besides the happy path.
 */
class SubscriberAdminApiTest {

    static final String BASE = "/admin/subscribers";
    static final String ALICE = "sip:alice@cpm.example.com";
    static final String FAMILY = "sip:family@cpm.example.com";

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dataDir;

    private CpmDataStores stores;
    private AdminApiServer server;

    @BeforeEach
    void start() throws Exception {
        Path home = Path.of(System.getProperty("cpm.home", "..")).toAbsolutePath().normalize();
        stores = CpmDataStores.start(home.resolve("config/infinispan.xml"), dataDir);
        stores.subscribers().save(new Subscriber(ALICE, List.of("tel:+15551230001"), true, false)
                .withCredentials(DigestCredentials.fromPassword("alice", "cpm.example.com", "alice-demo")));
        stores.groups().create(Group.of(FAMILY, "Family", List.of(ALICE)));
        server = AdminApiServer.start(stores);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        stores.close();
    }

    private JsonNode body(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body());
    }

    private void assertError(int status, String contains, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        String error = body(response).get("error").asText();
        assertTrue(error.contains(contains), error);
    }

    @Test
    void should_create_with_defaults_and_show_no_credential() throws Exception {
        HttpResponse<String> created = server.json("POST", BASE,
                "{\"uri\": \"sip:dave@cpm.example.com\", \"password\": \"secret\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(json.readTree("{\"uri\":\"sip:dave@cpm.example.com\",\"telAliases\":[],\"cpmEnabled\":true,"
                + "\"barred\":false,\"passwordSet\":true,\"digestUsername\":\"dave\","
                + "\"digestRealm\":\"cpm.example.com\"}"), body(created));
        assertFalse(created.body().contains("secret"), created.body());
        assertEquals(DigestCredentials.fromPassword("dave", "cpm.example.com", "secret"),
                stores.subscribers().findByDigestUsername("dave").orElseThrow().credentials());
    }

    @Test
    void should_refuse_what_is_not_a_subscriber_with_400_and_a_taken_identity_with_409() throws Exception {
        assertError(400, "uri", server.json("POST", BASE, "{\"telAliases\": []}"));
        assertError(400, "is not a SIP URI", server.json("POST", BASE, "{\"uri\": \"dave\"}"));
        assertError(400, "is not tel:+", server.json("POST", BASE,
                "{\"uri\": \"sip:dave@cpm.example.com\", \"telAliases\": [\"555-1234\"]}"));
        assertError(400, "pasword", server.json("POST", BASE,
                "{\"uri\": \"sip:dave@cpm.example.com\", \"pasword\": \"x\"}"));
        assertError(400, "password is required", server.json("POST", BASE,
                "{\"uri\": \"sip:dave@cpm.example.com\", \"password\": \"\"}"));
        assertError(409, "already exists", server.json("POST", BASE, "{\"uri\": \"" + ALICE + "\"}"));
        assertError(409, "tel:+15551230001 already belongs to " + ALICE, server.json("POST", BASE,
                "{\"uri\": \"sip:dave@cpm.example.com\", \"telAliases\": [\"tel:+15551230001\"]}"));
        // the same user part in another domain would share alice's digest username
        assertError(409, "digest username alice already belongs to " + ALICE, server.json("POST", BASE,
                "{\"uri\": \"sip:alice@other.example.net\", \"password\": \"x\"}"));
        assertEquals(1, stores.subscribers().count());
    }

    @Test
    void should_change_only_the_fields_given_and_never_the_uri() throws Exception {
        HttpResponse<String> barred = server.json("PUT", BASE + "/" + enc("tel:+15551230001"), "{\"barred\": true}");
        assertEquals(200, barred.statusCode(), barred.body());
        Subscriber alice = stores.subscribers().findByIdentity(ALICE).orElseThrow();
        assertEquals(new Subscriber(ALICE, List.of("tel:+15551230001"), true, true,
                DigestCredentials.fromPassword("alice", "cpm.example.com", "alice-demo")), alice);

        assertEquals(200, server.json("PUT", BASE + "/" + enc(ALICE),
                "{\"telAliases\": [\"tel:+15551230021\"], \"cpmEnabled\": false}").statusCode());
        assertEquals(List.of("tel:+15551230021"), stores.subscribers().findByIdentity(ALICE).orElseThrow()
                .telAliases());
        assertTrue(stores.subscribers().findByIdentity("tel:+15551230001").isEmpty(), "the old number is free");

        assertError(400, "cannot change", server.json("PUT", BASE + "/" + enc(ALICE),
                "{\"uri\": \"sip:alicia@cpm.example.com\"}"));
        assertError(404, "no subscriber", server.json("PUT", BASE + "/" + enc("sip:nobody@cpm.example.com"),
                "{\"barred\": true}"));
    }

    @Test
    void should_delete_out_of_every_group_and_drop_the_registrations() throws Exception {
        stores.groups().put(new Group(FAMILY, "Family", List.of(ALICE, "tel:+15551230001"),
                org.cpmrouter.groupstore.SendPolicy.ALLOW_LIST, List.of(ALICE), List.of()));
        stores.registrations().bind(ALICE, "sip:alice@127.0.0.1:5099", 600, "call-1", 1);

        assertEquals(204, server.delete(BASE + "/" + enc("tel:+15551230001")).statusCode());

        Group family = stores.groups().find(FAMILY).orElseThrow();
        assertEquals(List.of(), family.members());
        assertEquals(List.of(), family.allowedSenders());
        assertEquals(List.of(), stores.registrations().activeBindings(ALICE));
        assertTrue(stores.subscribers().findByIdentity(ALICE).isEmpty());
    }

    @Test
    void should_refuse_a_group_member_who_is_neither_subscriber_nor_non_cpm_user_in_every_way_a_group_is_written()
            throws Exception {
        String zoe = "sip:zoe@cpm.example.com";
        assertError(422, "provision it first", server.json("POST", "/admin/groups/" + enc(FAMILY) + "/members",
                "{\"member\": \"" + zoe + "\"}"));
        assertError(422, zoe, server.json("POST", "/admin/groups",
                "{\"uri\": \"sip:team@cpm.example.com\", \"members\": [\"" + zoe + "\"]}"));
        assertError(422, zoe, server.json("PUT", "/admin/groups/" + enc(FAMILY),
                "{\"members\": [\"" + ALICE + "\", \"" + zoe + "\"]}"));
        String document = server.get("/admin/groups/" + enc(FAMILY) + "/document").body()
                .replace("<entry uri=\"" + ALICE + "\"", "<entry uri=\"" + zoe + "\"");
        assertError(422, zoe, server.xml("PUT", "/admin/groups/" + enc(FAMILY) + "/document", document));
        assertEquals(List.of(ALICE), stores.groups().members(FAMILY));

        // a number of no subscriber is a non-CPM user; a subscriber's alias is the subscriber
        assertEquals(201, server.json("POST", "/admin/groups/" + enc(FAMILY) + "/members",
                "{\"member\": \"tel:+15559990000\"}").statusCode());
        assertEquals(201, server.json("POST", "/admin/groups/" + enc(FAMILY) + "/members",
                "{\"member\": \"tel:+15551230001\"}").statusCode());
    }

    @Test
    void should_import_csv_all_or_nothing_with_the_line_of_every_problem() throws Exception {
        HttpResponse<String> refused = server.send("POST", BASE, "text/csv", """
                sip:dave@cpm.example.com, tel:+15551230004, true, false, dave-pw
                sip:erin@cpm.example.com, tel:+15551230004, true, false
                sip:fred@cpm.example.com, , maybe, false
                """);
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(json.readTree("[{\"line\":2,\"message\":\"identity tel:+15551230004 already used on line 1\"},"
                + "{\"line\":3,\"message\":\"cpm enabled must be true or false but was 'maybe'\"}]"),
                body(refused).get("problems"));
        assertEquals(1, stores.subscribers().count());

        // two subscribers of the file swap their numbers: each gives up its own before taking the other's
        HttpResponse<String> imported = server.send("POST", BASE, "text/csv", """
                sip:alice@cpm.example.com, tel:+15551230004, true, false
                sip:dave@cpm.example.com, tel:+15551230001, true, false, dave-pw
                """);
        assertEquals(200, imported.statusCode(), imported.body());
        assertEquals(json.readTree("{\"created\":1,\"updated\":1}"), body(imported));
        assertEquals("sip:dave@cpm.example.com", stores.subscribers().findByIdentity("tel:+15551230001").orElseThrow()
                .publicIdentity());
        assertEquals(ALICE, stores.subscribers().findByIdentity("tel:+15551230004").orElseThrow().publicIdentity());

        HttpResponse<String> exported = server.http.send(java.net.http.HttpRequest.newBuilder(server.base.resolve(BASE))
                .header("Accept", "text/csv").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, exported.statusCode());
        assertTrue(exported.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals(List.of("sip:alice@cpm.example.com, tel:+15551230004, true, false,",
                "sip:dave@cpm.example.com, tel:+15551230001, true, false,"),
                exported.body().lines().filter(l -> !l.startsWith("#")).toList());
    }
}
