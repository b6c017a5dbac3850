package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.cpmrouter.client.SendResult;
import org.cpmrouter.rules.RuleReloader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators change the policy of a running router by editing its rule files: the change is live for the next
 * message, a broken edit is refused with its file and line while the running rules keep deciding, every decision
 * lands in the audit log with its rule ids and rule-set hash, and the admin API reports, reloads and dry-runs.
 * The router here runs on a copy of the shipped rules, which the tests edit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyReloadIT {

    private static final String BAR_BOB = RouterFixture.drlFixture("bar-bob.drl");

    @TempDir
    static Path dataDir;
    @TempDir
    static Path rulesDir;

    private RouterFixture fixture;
    private RouterFixture.Inbox alice;
    private RouterFixture.Inbox bob;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        try (Stream<Path> shipped = Files.list(RouterFixture.home().resolve("rules"))) {
            for (Path p : (Iterable<Path>) shipped::iterator) {
                if (p.toString().endsWith(".drl")) {
                    Files.copy(p, rulesDir.resolve(p.getFileName()));
                }
            }
        }
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of("cpm.rules.dir", rulesDir.toString()));
        alice = fixture.registered("alice");
        bob = fixture.registered("bob");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private RuleReloader reloader() {
        return fixture.router.ruleReloader();
    }

    @Test
    @Order(1)
    void should_apply_a_saved_rule_file_to_the_next_message() throws Exception {
        assertEquals(200, bob.client().send(RouterFixture.uri("alice"), "before").get(10, TimeUnit.SECONDS).status());
        assertEquals("before", alice.next().text());
        String before = fixture.router.policyEngine().current().hash();

        CompletableFuture<RuleReloader.ReloadStatus> reloaded = reloader().nextReload();
        long saved = System.nanoTime();
        Files.writeString(rulesDir.resolve("bar-bob.drl"), BAR_BOB);
        RuleReloader.ReloadStatus status = reloaded.get(10, TimeUnit.SECONDS);
        System.out.printf("reload latency: save -> new rules live in %d ms (compile %d ms)%n",
                (System.nanoTime() - saved) / 1_000_000, status.compileMillis());
        assertEquals(RuleReloader.ReloadStatus.Outcome.LOADED, status.outcome(), status.toString());
        String after = fixture.router.policyEngine().current().hash();
        assertNotEquals(before, after);

        SendResult refused = bob.client().send(RouterFixture.uri("alice"), "after").get(10, TimeUnit.SECONDS);
        assertEquals(403, refused.status());
        assertEquals("Barred by the operator", refused.reason());
        assertEquals(200, alice.client().send(RouterFixture.uri("bob"), "alice still may").get(10, TimeUnit.SECONDS)
                .status());

        // the audit log says why, and under which version of the policy
        Path audit = dataDir.resolve("audit/decisions.jsonl");
        String line = AuditLog.awaitLines(audit,
                l -> l.contains(refused.callId()) && l.contains("\"verdict\":\"DENY\"")).get(0);
        assertTrue(line.contains("\"rule\":\"LOCAL-010\""), line);
        assertTrue(line.contains("\"ruleset\":\"" + after + "\""), line);
        assertTrue(line.contains("\"role\":\"originating\""), line);
        assertTrue(!line.contains("after"), "never a message body: " + line);
    }

    @Test
    @Order(2)
    void should_refuse_a_broken_edit_with_its_line_and_keep_deciding_on_the_running_rules() throws Exception {
        String running = fixture.router.policyEngine().current().hash();
        CompletableFuture<RuleReloader.ReloadStatus> reloaded = reloader().nextReload();
        Files.writeString(rulesDir.resolve("bar-bob.drl"), BAR_BOB.replace("then\n", "then (\n"));
        RuleReloader.ReloadStatus status = reloaded.get(10, TimeUnit.SECONDS);
        assertEquals(RuleReloader.ReloadStatus.Outcome.REFUSED, status.outcome(), status.toString());
        assertTrue(status.problems().stream().anyMatch(p -> p.file().equals("bar-bob.drl") && p.line() > 0),
                status.problems().toString());
        assertEquals(running, fixture.router.policyEngine().current().hash());
        // messages keep flowing on the running rules (bob still barred, alice still delivered)
        assertEquals(403, bob.client().send(RouterFixture.uri("alice"), "x").get(10, TimeUnit.SECONDS).status());
        assertEquals(200, alice.client().send(RouterFixture.uri("bob"), "y").get(10, TimeUnit.SECONDS).status());

        HttpResponse<String> shown = http.send(HttpRequest.newBuilder(admin("/admin/rules")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, shown.statusCode());
        assertTrue(shown.body().contains("\"REFUSED\"") && shown.body().contains("bar-bob.drl:"), shown.body());
        // a consequence that does not parse: one line per problem, none of the Java parser's stack trace
        assertTrue(status.problems().stream().allMatch(p -> p.message().startsWith("cannot parse the consequence")),
                status.problems().toString());
        assertFalse(shown.body().contains("stacktrace") || shown.body().contains("JavaParser")
                || shown.body().contains("\\n"), shown.body());
    }

    @Test
    @Order(3)
    void should_reload_over_the_admin_api_when_the_pipeline_asks() throws Exception {
        Files.delete(rulesDir.resolve("bar-bob.drl"));
        HttpResponse<String> reloaded = http.send(HttpRequest.newBuilder(admin("/admin/rules/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        assertTrue(reloaded.body().contains("\"LOADED\"") || reloaded.body().contains("\"UNCHANGED\""),
                reloaded.body());
        assertEquals(200, bob.client().send(RouterFixture.uri("alice"), "free again").get(10, TimeUnit.SECONDS)
                .status());
    }

    @Test
    @Order(4)
    void should_print_each_role_decision_when_dry_running_a_captured_request() throws Exception {
        String report = dryRun("alice-to-bob.sip", null);
        assertTrue(report.contains("originating") && report.contains("AUTH-090"), report);
        assertTrue(report.contains("ROUTE-010") && report.contains("AUTH-190") && report.contains("DELIVER-010"), report);
        assertTrue(report.contains("outcome: 200"), report);

        String group = dryRun("alice-to-family.sip", null);
        assertTrue(group.contains("GROUP-081") && group.contains("outcome: 202"), group);

        // a candidate rule set that bars alice, tried before it is saved to the live directory
        Path candidate = Files.createTempDirectory(dataDir, "candidate");
        for (Path p : Files.list(rulesDir).toList()) {
            Files.copy(p, candidate.resolve(p.getFileName()));
        }
        Files.writeString(candidate.resolve("bar-alice.drl"), BAR_BOB.replace("bob", "alice").replace("Bob", "Alice")
                .replace("LOCAL-010", "LOCAL-020"));
        String tried = dryRun("alice-to-bob.sip", candidate);
        assertTrue(tried.contains("LOCAL-020") && tried.contains("outcome: 403"), tried);
        assertEquals(200, alice.client().send(RouterFixture.uri("bob"), "live rules unchanged")
                .get(10, TimeUnit.SECONDS).status());
    }

    @Test
    @Order(5)
    void should_pass_check_on_shipped_files_and_fail_with_file_and_line_on_a_broken_one() throws Exception {
        Path home = RouterFixture.home();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int ok = CheckAccess.run(home.resolve("config"), home, Map.of(), new PrintStream(out, true));
        assertEquals(0, ok, out.toString());
        Path broken = Files.createTempDirectory(dataDir, "broken");
        for (Path p : Files.list(home.resolve("rules")).filter(p -> p.toString().endsWith(".drl")).toList()) {
            Files.copy(p, broken.resolve(p.getFileName()));
        }
        Files.writeString(broken.resolve("authorization.drl"),
                Files.readString(broken.resolve("authorization.drl")).replaceFirst("when\n", "when (\n"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int failed = CheckAccess.run(home.resolve("config"), home, Map.of("cpm.rules.dir", broken.toString()),
                new PrintStream(err, true));
        assertEquals(1, failed, err.toString());
        assertTrue(err.toString().matches("(?s).*authorization\\.drl:\\d+: .*"), err.toString());
    }

    private String dryRun(String fixtureName, Path candidate) throws Exception {
        byte[] wire = Files.readAllBytes(RouterFixture.home().resolve("routes/src/test/resources/sip/" + fixtureName));
        String query = candidate == null ? "" : "?rules=" + java.net.URLEncoder.encode(candidate.toString(),
                StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(admin("/admin/rules/dry-run" + query))
                .POST(HttpRequest.BodyPublishers.ofByteArray(wire)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + fixture.adminPort + path);
    }

    /** The check command, as bin/cpm-router check runs it. */
    static final class CheckAccess {
        static int run(Path config, Path home, Map<String, String> overrides, PrintStream out) {
            return org.cpmrouter.routes.Check.run(config, home, overrides, out);
        }
    }
}
