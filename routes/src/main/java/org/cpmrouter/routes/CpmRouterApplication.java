package org.cpmrouter.routes;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.cpmrouter.routes.admin.RulesAdminRoute;
import org.cpmrouter.routes.config.AdminAccess;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.rules.RuleCompilationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/cpm-router}: starts every role with the configuration of {@code --config DIR} (default
 * {@code config/} of the router's home) and prints one line when ready.
 *
 * <pre>
 * cpm-router [--sip-port N] [--sip-tls-port N] [--data-dir DIR] [--config DIR] [--rules DIR]
 * cpm-router check [--config DIR] [--rules DIR]           compile rules, validate config; no port opened
 * cpm-router dry-run FILE [--rules DIR] [--admin URL] [--token T]   each role's decision for a captured request
 * </pre>
 */
public final class CpmRouterApplication {

    private static final Logger LOG = LoggerFactory.getLogger(CpmRouterApplication.class);

    private CpmRouterApplication() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("cpm.home", ".")).toAbsolutePath().normalize();
        Path configDir = home.resolve("config");
        Map<String, String> overrides = new LinkedHashMap<>();
        String command = "run";
        String file = null;
        String admin = "http://127.0.0.1:8081";
        String token = null;
        int first = 0;
        if (args.length > 0 && (args[0].equals("check") || args[0].equals("dry-run"))) {
            command = args[0];
            first = 1;
            if (command.equals("dry-run")) {
                if (args.length < 2 || args[1].startsWith("--")) {
                    fail("dry-run needs the file of a captured SIP request");
                }
                file = args[1];
                first = 2;
            }
        }
        for (int i = first; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                usage();
                return;
            }
            if (i + 1 >= args.length) {
                fail("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--sip-port":
                    overrides.put("cpm.sip.port", value);
                    break;
                case "--sip-tls-port":
                    overrides.put("cpm.sip.tls-port", value);
                    break;
                case "--token":
                    token = value;
                    break;
                case "--data-dir":
                    overrides.put("cpm.data.dir", Path.of(value).toAbsolutePath().toString());
                    break;
                case "--config":
                    configDir = Path.of(value).toAbsolutePath();
                    break;
                case "--rules":
                    overrides.put("cpm.rules.dir", Path.of(value).toAbsolutePath().toString());
                    break;
                case "--admin":
                    admin = value;
                    break;
                default:
                    fail("unknown option " + option);
            }
        }
        if (command.equals("check")) {
            System.exit(Check.run(configDir, home, overrides, System.out));
            return;
        }
        if (command.equals("dry-run")) {
            System.exit(dryRun(Path.of(file), overrides.get("cpm.rules.dir"), admin,
                    token != null ? token : adminToken(configDir, home)));
            return;
        }
        RouterConfig config;
        CpmRouter router;
        try {
            config = RouterConfig.load(configDir, home, System.getenv(), overrides);
            router = CpmRouter.start(config);
        } catch (RuleCompilationException e) {
            LOG.error("rules refused:\n{}", e.getMessage());
            System.err.println("cpm-router: rules refused:\n" + e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("cpm-router: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            LOG.error("cpm-router failed to start", e);
            System.err.println("cpm-router: failed to start: " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        // SIGTERM and Ctrl-C drain and stop the router, then the process exits 0 (with a shutdown hook alone the
        // JVM would end with 143); the hook still stops the router on any other way out
        for (String signal : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), received -> {
                LOG.info("SIG{} received: shutting down", received.getName());
                stopRequested.countDown();
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(router::close, "cpm-router-shutdown"));
        LOG.info(router.readyLine());
        System.out.println(router.readyLine());
        System.out.flush();
        stopRequested.await();
        router.close();
        // the log is written asynchronously: let it finish before the JVM goes
        ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).stop();
        System.exit(0);
    }

    /** The admin token of the configuration (its files, then CPM_ADMIN_TOKEN), for commands that call the API. */
    private static String adminToken(Path configDir, Path home) {
        try {
            return RouterConfig.load(configDir, home, System.getenv(), Map.of()).get(AdminAccess.TOKEN_KEY);
        } catch (IllegalArgumentException unreadable) {
            return System.getenv().getOrDefault(RouterConfig.envName(AdminAccess.TOKEN_KEY), "");
        }
    }

    /** Asks the running router (its admin API) what each role would decide; it reads its live store. */
    private static int dryRun(Path file, String candidateRules, String admin, String token) throws Exception {
        byte[] wire = java.nio.file.Files.readAllBytes(file);
        String url = admin + RulesAdminRoute.BASE_PATH + "/dry-run" + (candidateRules == null ? ""
                : "?rules=" + java.net.URLEncoder.encode(candidateRules, java.nio.charset.StandardCharsets.UTF_8));
        java.net.http.HttpResponse<String> response;
        try {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Content-Type", "text/plain")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(wire));
            if (!token.isBlank()) {
                request.header("Authorization", "Bearer " + token.trim());
            }
            response = java.net.http.HttpClient.newHttpClient().send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            System.err.println("cpm-router: dry-run needs the running router's admin API at " + admin + ": " + e);
            return 2;
        }
        (response.statusCode() == 200 ? System.out : System.err).print(response.body());
        if (response.statusCode() == 401) {
            System.err.println("\ncpm-router: the admin API wants its token: --token T, CPM_ADMIN_TOKEN or cpm.admin.token");
        }
        return response.statusCode() == 200 ? 0 : 1;
    }

    private static void usage() {
        System.out.println("usage: cpm-router [--sip-port N] [--sip-tls-port N] [--data-dir DIR] [--config DIR] [--rules DIR]");
        System.out.println("       cpm-router check [--config DIR] [--rules DIR]");
        System.out.println("       cpm-router dry-run FILE [--rules CANDIDATE_DIR] [--admin http://127.0.0.1:8081] [--token T]");
        System.out.println("  --sip-port N    SIP port on 127.0.0.1, UDP and TCP (default 5060; cpm.sip.port)");
        System.out.println("  --sip-tls-port N  SIP over TLS port, when cpm.sip.tls.key-store is set (default 5061)");
        System.out.println("  --token T       dry-run: the admin token (default: cpm.admin.token, CPM_ADMIN_TOKEN)");
        System.out.println("  --data-dir DIR  where the store keeps its files (default data/; cpm.data.dir)");
        System.out.println("  --config DIR    configuration directory (default config/)");
        System.out.println("  --rules DIR     rule files (default rules/; cpm.rules.dir)");
    }

    private static void fail(String message) {
        System.err.println("cpm-router: " + message);
        usage();
        System.exit(2);
    }
}
