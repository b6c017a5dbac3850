package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.time.Duration;
import java.util.Map;

import org.cpmrouter.client.CpmAdminCli;
import org.cpmrouter.routes.config.RouterConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole router with {@code cpm.admin.token} set, its admin API on 127.0.0.1: every admin resource (groups,
 * rules, dry-run) wants the token, {@code cpm-admin} sends it, and off loopback the router does not start without one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminTokenIT {

    private static final String TOKEN = "7f3a9c1e5b2d4f608a1c3e5f7b9d2a4c";

    @TempDir
    static Path dataDir;

    private RouterFixture fixture;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(),
                Map.of("cpm.admin.host", "127.0.0.1", "cpm.admin.token", TOKEN));
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.adminPort + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void should_answer_the_health_probes_without_the_token() throws Exception {
        for (String path : new String[] {"/health/live", "/health/ready"}) {
            HttpResponse<String> probe = call("GET", path, null, null);
            assertEquals(200, probe.statusCode(), path + ": " + probe.body());
            assertTrue(probe.body().startsWith("{\"status\":\"UP\""), probe.body());
        }
        // only those two exactly: a path that walks out of them is guarded
        assertEquals(401, call("GET", "/health/ready/../../admin/groups", null, null).statusCode());
        assertEquals(401, call("POST", "/health/ready", null, "").statusCode());
    }

    @Test
    void should_guard_every_admin_resource_with_the_token() throws Exception {
        String dryRunBody = Files.readString(Path.of(getClass().getResource("/sip/alice-to-bob.sip").toURI()));
        for (String[] resource : new String[][] {{"GET", "/admin/groups", null}, {"GET", "/admin/rules", null},
            {"POST", "/admin/rules/reload", null}, {"POST", "/admin/rules/dry-run", dryRunBody},
            {"GET", "/metrics", null}}) {
            HttpResponse<String> refused = call(resource[0], resource[1], null, resource[2]);
            assertEquals(401, refused.statusCode(), resource[1]);
            assertEquals("Bearer realm=\"cpm-admin\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, call(resource[0], resource[1], "not-" + TOKEN, resource[2]).statusCode(), resource[1]);
            HttpResponse<String> served = call(resource[0], resource[1], TOKEN, resource[2]);
            assertEquals(200, served.statusCode(), resource[1] + ": " + served.body());
        }
    }

    @Test
    void should_let_cpm_admin_in_with_the_token_and_say_why_not_without() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CpmAdminCli cli = new CpmAdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String admin = "http://127.0.0.1:" + fixture.adminPort;

        assertEquals(0, cli.run("--admin", admin, "--token", TOKEN, "groups", "list"), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("sip:family@cpm.example.com"), out.toString());

        assertEquals(1, cli.run("--admin", admin, "--token", "wrong", "groups", "list"));
        String refusal = err.toString(StandardCharsets.UTF_8);
        assertTrue(refusal.contains("cpm-admin: 401"), refusal);
        assertTrue(refusal.contains("--token TOKEN or CPM_ADMIN_TOKEN"), refusal);
        assertFalse(refusal.contains(TOKEN), refusal);
    }

    @Test
    void should_refuse_to_start_without_a_token_when_the_admin_api_is_not_on_loopback() {
        // the decision is made while the settings are read, before anything is bound
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouterConfig.load(RouterFixture.home().resolve("config"), RouterFixture.home(), Map.of(),
                        Map.of("cpm.admin.host", "0.0.0.0", "cpm.data.dir", dataDir.resolve("never").toString())));
        assertTrue(e.getMessage().startsWith("cpm.admin.token must be set"), e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("never")));
        RouterConfig withToken = RouterConfig.load(RouterFixture.home().resolve("config"), RouterFixture.home(),
                Map.of("CPM_ADMIN_TOKEN", TOKEN), Map.of("cpm.admin.host", "0.0.0.0"));
        assertEquals(TOKEN, withToken.get("cpm.admin.token"));
    }

    @Test
    void should_keep_the_token_out_of_camel_properties_and_the_ready_line() {
        assertTrue(fixture.router.readyLine().contains("(token)"), fixture.router.readyLine());
        assertFalse(fixture.router.readyLine().contains(TOKEN));
        assertTrue(fixture.router.camelContext().getPropertiesComponent().resolveProperty("cpm.admin.token").isEmpty());
        assertEquals("127.0.0.1", fixture.router.camelContext().getPropertiesComponent()
                .resolveProperty("cpm.admin.host").orElseThrow());
    }
}
