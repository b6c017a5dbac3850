package org.cpmrouter.routes.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.cpmrouter.groupstore.InMemoryGroupStore;
import org.cpmrouter.routes.config.AdminAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin token: the decision when the router may start, and the guard in front of the admin API over real
 * HTTP on 127.0.0.1.
 */
class AdminTokenGuardTest {

    private static final String TOKEN = "b3f1c2-test-token-0123456789";

    private final InMemoryGroupStore groups = new InMemoryGroupStore();
    private AdminApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return server.http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void should_refuse_to_start_off_loopback_without_a_token_naming_the_key() {
        for (String host : new String[] {"0.0.0.0", "::", "10.0.0.5", "192.168.1.20", "2001:db8::1", "admin.example.com",
            "999.0.0.1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AdminAccess.requireTokenOffLoopback(host, ""), host);
            assertTrue(e.getMessage().startsWith("cpm.admin.token must be set"), e.getMessage());
            assertTrue(e.getMessage().contains(host), e.getMessage());
            AdminAccess.requireTokenOffLoopback(host, TOKEN); // with a token: allowed
        }
    }

    @Test
    void should_allow_loopback_without_a_token() {
        for (String host : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"}) {
            assertTrue(AdminAccess.isLoopback(host), host);
            AdminAccess.requireTokenOffLoopback(host, "");
            AdminAccess.requireTokenOffLoopback(host, null);
        }
        assertFalse(AdminAccess.isLoopback("128.0.0.1"));
        assertFalse(AdminAccess.isLoopback("localhost.example.com"));
    }

    @Test
    void should_answer_401_with_bearer_challenge_and_json_without_the_token() throws Exception {
        server = AdminApiServer.start(groups, null, TOKEN);
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", "Basic " + TOKEN,
            "Bearer"}) {
            HttpResponse<String> refused = get("/admin/groups", authorization);
            assertEquals(401, refused.statusCode(), String.valueOf(authorization));
            assertEquals("Bearer realm=\"cpm-admin\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertTrue(new ObjectMapper().readTree(refused.body()).get("error").asText().contains("Bearer"),
                    refused.body());
            assertFalse(refused.body().contains(TOKEN));
        }
        // paths no route serves are guarded too: the server tells a stranger nothing about what exists
        assertEquals(401, get("/admin/nothing-here", null).statusCode());
        assertEquals(401, get("/", null).statusCode());
    }

    @Test
    void should_serve_requests_that_carry_the_token() throws Exception {
        server = AdminApiServer.start(groups, null, TOKEN);
        HttpResponse<String> ok = get("/admin/groups", "Bearer " + TOKEN);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("[]", ok.body().replaceAll("\\s", ""));
        assertEquals(200, get("/admin/groups", "bearer  " + TOKEN + " ").statusCode());
        HttpResponse<String> created = server.send("POST", "/admin/groups", "application/json",
                AdminApiRouteTest.FAMILY_JSON);
        assertEquals(401, created.statusCode(), "a write without the token must not get through");
        assertTrue(groups.find(AdminApiRouteTest.FAMILY).isEmpty());
    }

    @Test
    void should_serve_without_a_token_when_none_is_configured() throws Exception {
        server = AdminApiServer.start(groups, null);
        assertEquals(200, get("/admin/groups", null).statusCode());
    }
}
