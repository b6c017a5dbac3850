package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cpmrouter.client.SendResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole router, its admin HTTP server on 127.0.0.1: {@code GET /metrics} in the Prometheus text format with the
 * message counters rising after alice's MESSAGE to bob, {@code GET /health/live} and {@code /health/ready} 200 with
 * every check named, and the shipped Grafana dashboard and {@code docs/metrics.md} naming only meters that exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsAndHealthIT {

    /** A metric name in a PromQL expression or in the docs' table. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:cpm|jvm|process|system)_[a-z0-9_]+)");

    @TempDir
    static Path dataDir;

    private RouterFixture fixture;
    private RouterFixture.Inbox bob;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.adminPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String scrape() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                metrics.headers().toString());
        return metrics.body();
    }

    /** The value of one sample, {@code name{labels}} exactly as the text format writes it; 0 when absent. */
    private static double sample(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    @Test
    void should_count_the_message_its_requests_and_responses_when_alice_sends_to_bob() throws Exception {
        String before = scrape();
        SendResult result = fixture.client("alice").send(RouterFixture.uri("bob"), "counted")
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, result.status(), result.toString());
        assertNotNull(bob.next(), "bob got nothing");
        String after = scrape();

        String delivered = "cpm_messages_total{outcome=\"delivered\"}";
        assertEquals(sample(before, delivered) + 1, sample(after, delivered), after);
        String messages = "cpm_sip_requests_received_total{method=\"MESSAGE\"}";
        // alice's MESSAGE, the challenge's retry with credentials: at least those two
        assertTrue(sample(after, messages) >= sample(before, messages) + 2, after);
        String ok = "cpm_sip_responses_sent_total{class=\"2xx\",code=\"200\"}";
        assertTrue(sample(after, ok) > sample(before, ok), after);
        String challenged = "cpm_sip_requests_refused_total{reason=\"auth_challenge\"}";
        assertTrue(sample(after, challenged) > sample(before, challenged), after);
        assertTrue(sample(after, "cpm_policy_decision_seconds_count{stage=\"originating_authorization\"}") >= 1,
                after);
        assertTrue(after.contains("cpm_policy_decision_seconds_bucket{stage=\"recipient_delivery\",le=\"1.0E-4\"}")
                || after.contains("cpm_policy_decision_seconds_bucket{le=\"1.0E-4\",stage=\"recipient_delivery\"}"),
                "a histogram with the decision buckets:\n" + after);
        assertTrue(sample(after, "cpm_rules_loaded") > 10, after);
        assertEquals(1.0, sample(after, "cpm_smsc_link_up"), after);
        assertTrue(after.contains("jvm_memory_used_bytes"), after);
    }

    @Test
    void should_count_a_refusal_by_the_rule_that_refused() throws Exception {
        SendResult refused = fixture.client("mallory").send(RouterFixture.uri("bob"), "let me in")
                .get(10, TimeUnit.SECONDS);
        assertEquals(403, refused.status(), refused.toString());
        String after = scrape();
        assertTrue(after.contains("cpm_policy_refusals_total{rule=\"AUTH-030\"}"), after);
        assertTrue(sample(after, "cpm_messages_total{outcome=\"refused\"}") >= 1, after);
    }

    @Test
    void should_be_live_and_ready_with_every_check_named() throws Exception {
        HttpResponse<String> live = get("/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.body().contains("\"name\":\"camel-context\",\"status\":\"UP\""), live.body());
        HttpResponse<String> ready = get("/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("application/json", ready.headers().firstValue("Content-Type").orElse(""));
        assertTrue(ready.body().startsWith("{\"status\":\"UP\",\"checks\":["), ready.body());
        for (String check : List.of("draining", "rules", "sip", "smsc", "store")) {
            assertTrue(ready.body().contains("\"name\":\"" + check + "\",\"status\":\"UP\""), check + ": " + ready.body());
        }
    }

    @Test
    void should_find_every_metric_the_dashboard_and_the_docs_name_after_a_message() throws Exception {
        SendResult result = fixture.client("alice").send(RouterFixture.uri("bob"), "for the dashboard")
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, result.status(), result.toString());
        bob.next();
        fixture.client("mallory").send(RouterFixture.uri("bob"), "refused").get(10, TimeUnit.SECONDS);
        String scrape = scrape();
        Set<String> served = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                served.add(line.split("[{ ]", 2)[0]);
            }
        }
        Path home = RouterFixture.home();
        String dashboard = Files.readString(home.resolve("config/grafana/cpm-router.json"));
        List<String> missing = new ArrayList<>();
        Matcher names = METRIC.matcher(dashboard);
        int used = 0;
        while (names.find()) {
            used++;
            if (!served.contains(names.group(1))) {
                missing.add(names.group(1));
            }
        }
        assertTrue(used > 10, "the dashboard names " + used + " metrics");
        assertEquals(List.of(), missing, "metrics the dashboard uses that /metrics does not serve");

        // every cpm_ meter is in the docs' table, and every name the table gives exists
        String docs = Files.readString(home.resolve("docs/metrics.md"));
        Set<String> documented = new TreeSet<>();
        Matcher inDocs = Pattern.compile("^\\| `(cpm_[a-z0-9_]+)`", Pattern.MULTILINE).matcher(docs);
        while (inDocs.find()) {
            documented.add(inDocs.group(1));
        }
        Set<String> servedCpm = new TreeSet<>();
        for (String name : served) {
            if (name.startsWith("cpm_")) {
                servedCpm.add(name.replaceAll("_(bucket|count|sum|max)$", ""));
            }
        }
        assertEquals(servedCpm, documented, "cpm_ meters served vs. documented in docs/metrics.md");
    }
}
