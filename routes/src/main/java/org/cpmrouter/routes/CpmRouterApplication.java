package org.cpmrouter.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * cpm-router [--sip-port N] [--sip-tls-port N] [--admin-port N] [--data-dir DIR] [--config DIR] [--rules DIR]
 * cpm-router check [--config DIR] [--rules DIR]           compile rules, validate config; no port opened
 * cpm-router dry-run FILE [--rules DIR] [--admin URL] [--token T]   each role's decision for a captured request
 * </pre>
 */
public final class CpmRouterApplication {

    private static final Logger LOG = LoggerFactory.getLogger(CpmRouterApplication.class);

    /** The options; each takes a value. */
    private static final Set<String> OPTIONS = Set.of("--sip-port", "--sip-tls-port", "--admin-port", "--data-dir",
            "--config", "--rules", "--admin", "--token");

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
            if (!OPTIONS.contains(option)) {
                fail(option.startsWith("-") ? "unknown option " + option
                        : "unexpected argument '" + option + "' (options start with --)");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
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
                case "--admin-port":
                    overrides.put("cpm.admin.port", value);
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
                default: // --admin
                    admin = value;
                    break;
            }
        }
        if (!command.equals("run") && !Files.isDirectory(configDir)) {
            fail("no configuration directory " + configDir + " (--config)");
        }
        if (command.equals("check")) {
            quietLogging();
            System.exit(Check.run(configDir, home, overrides, System.out));
            return;
        }
        if (command.equals("dry-run")) {
            Path request = Path.of(file);
            if (!Files.isRegularFile(request)) {
                fail("dry-run: no file " + request.toAbsolutePath().normalize()
                        + " (the captured SIP request to decide)");
            }
            System.exit(dryRun(request, overrides.get("cpm.rules.dir"), admin,
                    token != null ? token : adminToken(configDir, home)));
            return;
        }
        RouterConfig config;
        CpmRouter router;
        try {
            config = RouterConfig.load(configDir, home, System.getenv(), overrides);
        } catch (IllegalArgumentException e) {
            System.err.println("cpm-router: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            router = CpmRouter.start(config);
        } catch (RuleCompilationException e) {
            // one line per problem, file:line: message; the router does not start on rules that do not compile
            Path rulesDir = config.homePath("cpm.rules.dir");
            System.err.println("cpm-router: rules refused, not started: " + e.problems().size() + " problem(s)");
            e.problems().forEach(p -> System.err.println(p.describeIn(rulesDir)));
            System.exit(1);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("cpm-router: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            String cause = StartFailure.describe(e) + (StartFailure.isAddressInUse(e)
                    ? " (another router running? other ports: --sip-port N, --admin-port N)" : "");
            LOG.debug("cpm-router failed to start", e);
            System.err.println("cpm-router: failed to start: " + cause);
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
            System.err.println("cpm-router: dry-run needs the running router's admin API, which does not answer at "
                    + admin + " (" + StartFailure.describe(e) + "); is the router running? (--admin URL)");
            return 2;
        } catch (IllegalArgumentException e) {
            System.err.println("cpm-router: --admin is a URL such as http://127.0.0.1:8081, got '" + admin + "'");
            return 2;
        }
        (response.statusCode() == 200 ? System.out : System.err).print(response.body());
        if (response.statusCode() == 401) {
            System.err.println("\ncpm-router: the admin API wants its token: --token T, CPM_ADMIN_TOKEN or cpm.admin.token");
        }
        return response.statusCode() == 200 ? 0 : 1;
    }

    /**
     * {@code check} prints what it checked, line by line; the INFO lines of the classes it runs would only repeat
     * them, so it shows warnings and errors of the log only.
     */
    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
            logback.getLogger("org.cpmrouter").setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static void usage() {
        System.out.println("usage: cpm-router [--sip-port N] [--sip-tls-port N] [--admin-port N] [--data-dir DIR] [--config DIR]"
                + " [--rules DIR]");
        System.out.println("       cpm-router check [--config DIR] [--rules DIR]");
        System.out.println("       cpm-router dry-run FILE [--rules CANDIDATE_DIR] [--admin http://127.0.0.1:8081] [--token T]");
        System.out.println("  --sip-port N    SIP port on 127.0.0.1, UDP and TCP (default 5060; cpm.sip.port)");
        System.out.println("  --sip-tls-port N  SIP over TLS port, when cpm.sip.tls.key-store is set (default 5061)");
        System.out.println("  --admin-port N  admin API port on cpm.admin.host (default 8081; cpm.admin.port)");
        System.out.println("  --token T       dry-run: the admin token (default: cpm.admin.token, CPM_ADMIN_TOKEN)");
        System.out.println("  --data-dir DIR  where the store keeps its files (default data/; cpm.data.dir)");
        System.out.println("  --config DIR    configuration directory (default config/)");
        System.out.println("  --rules DIR     rule files (default rules/; cpm.rules.dir)");
    }

    private static void fail(String message) {
        System.err.println("cpm-router: " + message + " (cpm-router --help lists the options)");
        System.exit(2);
    }
}
