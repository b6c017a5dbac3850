package org.cpmrouter.routes.admin;

import static org.cpmrouter.routes.admin.AdminApiServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.groupstore.InMemoryGroupStore;
import org.cpmrouter.groupstore.SendPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP on 127.0.0.1: camel-main's embedded server, the REST DSL, an in-memory store. */
class AdminApiRouteTest {

    static final String FAMILY = "sip:family@cpm.example.com";
    static final String FAMILY_PATH = "/admin/groups/" + enc(FAMILY);
    static final String ALICE = "sip:alice@cpm.example.com";
    static final String BOB = "sip:bob@cpm.example.com";
    static final String DAVE = "sip:dave@cpm.example.com";

    static final String FAMILY_JSON = """
            {"uri": "sip:family@cpm.example.com", "displayName": "Family",
             "members": ["sip:alice@cpm.example.com", "sip:bob@cpm.example.com"]}""";

    private final ObjectMapper json = new ObjectMapper();
    private final GroupStore groups = new InMemoryGroupStore();
    private AdminApiServer server;

    @BeforeEach
    void start() throws Exception {
        server = AdminApiServer.start(groups, new AdminTestDocumentCodec());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void server_properties_are_camel_main_server_keys() {
        Map<String, String> p = AdminApiRoute.serverProperties("127.0.0.1", 8081);
        assertEquals("true", p.get("camel.server.enabled"));
        assertEquals("127.0.0.1", p.get("camel.server.host"));
        assertEquals("8081", p.get("camel.server.port"));
    }

    @Test
    void should_create_list_and_get_a_group() throws Exception {
        HttpResponse<String> created = server.json("POST", "/admin/groups", FAMILY_JSON);
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = json.readTree(created.body());
        assertEquals(FAMILY, body.get("uri").asText());
        assertEquals("MEMBERS_ONLY", body.get("sendPolicy").asText());
        assertEquals(Group.of(FAMILY, "Family", List.of(ALICE, BOB)), groups.find(FAMILY).orElseThrow());

        HttpResponse<String> list = server.get("/admin/groups");
        assertEquals(200, list.statusCode());
        JsonNode all = json.readTree(list.body());
        assertEquals(1, all.size());
        assertEquals("Family", all.get(0).get("displayName").asText());
        assertEquals(List.of("uri", "displayName", "members", "sendPolicy", "allowedSenders", "supportedServices"),
                fieldNames(all.get(0)));

        HttpResponse<String> one = server.get(FAMILY_PATH);
        assertEquals(200, one.statusCode());
        assertEquals(json.readTree(created.body()), json.readTree(one.body()));
    }

    @Test
    void should_take_every_field() throws Exception {
        HttpResponse<String> created = server.json("POST", "/admin/groups", """
                {"uri": "sip:team@cpm.example.com", "displayName": "Team", "members": ["tel:+15551230002"],
                 "sendPolicy": "ALLOW_LIST", "allowedSenders": ["sip:boss@cpm.example.com"],
                 "supportedServices": ["urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"]}""");
        assertEquals(201, created.statusCode(), created.body());
        Group team = groups.find("sip:team@cpm.example.com").orElseThrow();
        assertEquals(new Group("sip:team@cpm.example.com", "Team", List.of("tel:+15551230002"), SendPolicy.ALLOW_LIST,
                List.of("sip:boss@cpm.example.com"), List.of("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg")), team);
    }

    @Test
    void should_refuse_an_existing_uri_with_409() throws Exception {
        assertEquals(201, server.json("POST", "/admin/groups", FAMILY_JSON).statusCode());
        HttpResponse<String> again = server.json("POST", "/admin/groups",
                "{\"uri\": \"sip:family@cpm.example.com\", \"displayName\": \"Other\"}");
        assertError(409, "already exists", again);
        assertEquals("Family", groups.find(FAMILY).orElseThrow().displayName());
    }

    @Test
    void should_refuse_invalid_input_with_400() throws Exception {
        assertError(400, "invalid JSON", server.json("POST", "/admin/groups", "{\"uri\": "));
        assertError(400, "invalid JSON", server.json("POST", "/admin/groups", "[1, 2]"));
        assertError(400, "invalid JSON", server.json("POST", "/admin/groups", FAMILY_JSON + " {}"));
        assertError(400, "empty request body", server.json("POST", "/admin/groups", ""));
        assertError(400, "invalid JSON", server.json("POST", "/admin/groups",
                "{\"uri\": \"sip:x@cpm.example.com\", \"colour\": \"red\"}"));
        assertError(400, "uri is required", server.json("POST", "/admin/groups", "{\"displayName\": \"x\"}"));
        assertError(400, "SIP URI", server.json("POST", "/admin/groups", "{\"uri\": \"tel:+1555\"}"));
        assertError(400, "SIP URI", server.json("POST", "/admin/groups", "{\"uri\": \"sip:a b@cpm.example.com\"}"));
        assertError(400, "blank member", server.json("POST", "/admin/groups",
                "{\"uri\": \"sip:x@cpm.example.com\", \"members\": [\" \"]}"));
        assertError(400, "not a sip:user@domain", server.json("POST", "/admin/groups",
                "{\"uri\": \"sip:x@cpm.example.com\", \"members\": [\"dave\"]}"));
        assertError(400, "sendPolicy", server.json("POST", "/admin/groups",
                "{\"uri\": \"sip:x@cpm.example.com\", \"sendPolicy\": \"ANYONE\"}"));
        assertEquals(0, groups.count());
    }

    @Test
    void should_answer_404_for_an_unknown_group() throws Exception {
        assertError(404, "no group sip:nobody@cpm.example.com",
                server.get("/admin/groups/" + enc("sip:nobody@cpm.example.com")));
        assertError(404, "no group", server.get("/admin/groups/" + enc("sip:nobody@cpm.example.com") + "/members"));
        assertError(404, "no group", server.delete("/admin/groups/" + enc("sip:nobody@cpm.example.com")));
        assertError(404, "no group", server.get("/admin/groups/" + enc("sip:nobody@cpm.example.com") + "/document"));
    }

    @Test
    void should_put_to_create_then_replace() throws Exception {
        HttpResponse<String> created = server.json("PUT", FAMILY_PATH, FAMILY_JSON);
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> replaced = server.json("PUT", FAMILY_PATH,
                "{\"displayName\": \"The Family\", \"members\": [\"sip:carol@cpm.example.com\"]}");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals(Group.of(FAMILY, "The Family", List.of("sip:carol@cpm.example.com")),
                groups.find(FAMILY).orElseThrow());
    }

    @Test
    void should_refuse_a_put_whose_body_names_another_group() throws Exception {
        assertError(400, "does not match the path", server.json("PUT",
                "/admin/groups/" + enc("sip:other@cpm.example.com"), FAMILY_JSON));
        assertEquals(0, groups.count());
    }

    @Test
    void should_delete_a_group() throws Exception {
        groups.create(Group.of(FAMILY, "Family", List.of(ALICE)));
        HttpResponse<String> deleted = server.delete(FAMILY_PATH);
        assertEquals(204, deleted.statusCode());
        assertEquals("", deleted.body());
        assertTrue(groups.find(FAMILY).isEmpty());
        assertError(404, "no group", server.delete(FAMILY_PATH));
    }

    @Test
    void should_list_add_and_remove_members() throws Exception {
        groups.create(Group.of(FAMILY, "Family", List.of(ALICE, BOB)));
        HttpResponse<String> members = server.get(FAMILY_PATH + "/members");
        assertEquals(200, members.statusCode());
        assertEquals(json.readTree("[\"" + ALICE + "\", \"" + BOB + "\"]"), json.readTree(members.body()));

        HttpResponse<String> added = server.json("POST", FAMILY_PATH + "/members", "{\"member\": \"" + DAVE + "\"}");
        assertEquals(201, added.statusCode(), added.body());
        assertEquals(List.of(ALICE, BOB, DAVE), groups.members(FAMILY));
        HttpResponse<String> again = server.json("POST", FAMILY_PATH + "/members", "{\"member\": \"" + DAVE + "\"}");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(List.of(ALICE, BOB, DAVE), groups.members(FAMILY));

        HttpResponse<String> removed = server.delete(FAMILY_PATH + "/members/" + enc(BOB));
        assertEquals(204, removed.statusCode(), removed.body());
        assertEquals(List.of(ALICE, DAVE), groups.members(FAMILY));
        assertError(404, "is not a member", server.delete(FAMILY_PATH + "/members/" + enc(BOB)));
    }

    @Test
    void should_refuse_member_changes_of_unknown_groups_and_bad_members() throws Exception {
        String nobody = "/admin/groups/" + enc("sip:nobody@cpm.example.com");
        assertError(404, "no group", server.json("POST", nobody + "/members", "{\"member\": \"" + DAVE + "\"}"));
        assertError(404, "no group", server.delete(nobody + "/members/" + enc(DAVE)));
        groups.create(Group.of(FAMILY, "Family", List.of(ALICE)));
        assertError(400, "blank member", server.json("POST", FAMILY_PATH + "/members", "{\"member\": \"\"}"));
        assertError(400, "blank member", server.json("POST", FAMILY_PATH + "/members", "{}"));
        assertError(400, "invalid JSON", server.json("POST", FAMILY_PATH + "/members", "\"" + DAVE + "\""));
        assertEquals(List.of(ALICE), groups.members(FAMILY));
    }

    @Test
    void should_take_a_tel_member_with_a_plus() throws Exception {
        groups.create(Group.of(FAMILY, "Family", List.of(ALICE)));
        assertEquals(201, server.json("POST", FAMILY_PATH + "/members", "{\"member\": \"tel:+15551230002\"}")
                .statusCode());
        assertEquals(204, server.delete(FAMILY_PATH + "/members/" + enc("tel:+15551230002")).statusCode());
        assertEquals(List.of(ALICE), groups.members(FAMILY));
    }

    @Test
    void should_not_echo_request_headers() throws Exception {
        groups.create(Group.of(FAMILY, "Family", List.of(ALICE)));
        HttpResponse<String> r = server.http.send(java.net.http.HttpRequest.newBuilder(server.base.resolve(FAMILY_PATH))
                .header("X-Secret", "s3cret").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertFalse(r.headers().firstValue("X-Secret").isPresent());
        assertFalse(r.headers().firstValue("uri").isPresent());
    }

    // ---- the list-service document

    @Test
    void should_export_and_import_the_document() throws Exception {
        groups.create(Group.of(FAMILY, "Family", List.of(ALICE, BOB)));
        HttpResponse<String> doc = server.get(FAMILY_PATH + "/document");
        assertEquals(200, doc.statusCode(), doc.body());
        assertTrue(doc.headers().firstValue("Content-Type").orElse("").startsWith("application/xml"));
        assertTrue(doc.body().contains("list-service uri=\"" + FAMILY + "\""), doc.body());

        String edited = doc.body().replace("</list>", "  <entry uri=\"" + DAVE + "\"/>\n    </list>");
        HttpResponse<String> imported = server.xml("PUT", FAMILY_PATH + "/document", edited);
        assertEquals(200, imported.statusCode(), imported.body());
        assertEquals(List.of(ALICE, BOB, DAVE), groups.members(FAMILY));

        String team = "sip:team@cpm.example.com";
        HttpResponse<String> created = server.xml("PUT", "/admin/groups/" + enc(team) + "/document",
                AdminTestDocumentCodec.document(team, "Team", List.of(ALICE)));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(Optional.of(Group.of(team, "Team", List.of(ALICE))), groups.find(team));
    }

    @Test
    void should_refuse_a_bad_document_and_change_nothing() throws Exception {
        Group family = Group.of(FAMILY, "Family", List.of(ALICE, BOB));
        groups.create(family);
        String truncated = AdminTestDocumentCodec.document(FAMILY, "Family", List.of(DAVE)).substring(0, 150);
        HttpResponse<String> r = server.xml("PUT", FAMILY_PATH + "/document", truncated);
        assertError(400, "group document " + FAMILY + ": ", r);
        assertError(400, "group document", server.xml("PUT", FAMILY_PATH + "/document",
                AdminTestDocumentCodec.document(FAMILY, "Family", List.of(" "))));
        assertError(400, "group document", server.xml("PUT", FAMILY_PATH + "/document",
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
        assertError(400, "empty request body", server.xml("PUT", FAMILY_PATH + "/document", ""));
        assertError(400, "does not match the path", server.xml("PUT", FAMILY_PATH + "/document",
                AdminTestDocumentCodec.document("sip:other@cpm.example.com", "Other", List.of(DAVE))));
        assertEquals(Optional.of(family), groups.find(FAMILY));
        assertEquals(1, groups.count());
    }

    @Test
    void should_answer_501_for_documents_without_a_codec() throws Exception {
        server.close();
        server = AdminApiServer.start(groups, null);
        groups.create(Group.of(FAMILY, "Family", List.of(ALICE)));
        assertError(501, "not available", server.get(FAMILY_PATH + "/document"));
        assertEquals(200, server.get(FAMILY_PATH).statusCode());
    }

    /** With the group store's own OMA XDM codec, as the router runs it. */
    @Test
    void should_round_trip_with_the_xdm_codec() throws Exception {
        server.close();
        server = AdminApiServer.start(groups, GroupDocumentCodec.xdm());
        Group family = new Group(FAMILY, "Family", List.of(ALICE, BOB), SendPolicy.ALLOW_LIST, List.of(DAVE),
                List.of("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"));
        groups.create(family);
        HttpResponse<String> doc = server.get(FAMILY_PATH + "/document");
        assertEquals(200, doc.statusCode(), doc.body());
        assertTrue(doc.headers().firstValue("Content-Type").orElse("").startsWith("application/xml"));
        groups.delete(FAMILY);
        HttpResponse<String> imported = server.xml("PUT", FAMILY_PATH + "/document", doc.body());
        assertEquals(201, imported.statusCode(), imported.body());
        assertEquals(Optional.of(family), groups.find(FAMILY));

        HttpResponse<String> truncated = server.xml("PUT", FAMILY_PATH + "/document",
                doc.body().substring(0, doc.body().indexOf("</list>")));
        assertError(400, "group document " + FAMILY + " line ", truncated);
        assertError(400, "DOCTYPE", server.xml("PUT", FAMILY_PATH + "/document",
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
        String noRuleset = doc.body().replaceAll("(?s)<cp:ruleset>.*</cp:ruleset>", "")
                .replace("sip:alice@cpm.example.com", "sip:eve@cpm.example.com");
        assertError(400, "ruleset", server.xml("PUT", FAMILY_PATH + "/document", noRuleset));
        assertEquals(Optional.of(family), groups.find(FAMILY));
    }

    private void assertError(int status, String fragment, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().map().toString());
        JsonNode body = json.readTree(response.body());
        assertEquals(1, body.size(), response.body());
        String error = body.get("error").asText();
        assertTrue(error.contains(fragment), "expected '" + fragment + "' in: " + error);
        assertFalse(error.contains("\tat "), error);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
