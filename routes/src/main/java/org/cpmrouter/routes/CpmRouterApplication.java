package org.cpmrouter.routes;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.cpmrouter.rules.RuleCompilationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/cpm-router}: starts every role with the configuration of {@code --config DIR} (default
 * {@code config/} of the router's home) and prints one line when ready.
 *
 * <pre>
 * cpm-router [--sip-port N] [--data-dir DIR] [--config DIR] [--rules DIR]
 * cpm-router check [--config DIR] [--rules DIR]           compile rules, validate config; no port opened
 * cpm-router dry-run FILE [--rules DIR] [--admin URL]     each role's decision for a captured SIP request
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
            System.exit(dryRun(Path.of(file), overrides.get("cpm.rules.dir"), admin));
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            router.close();
            // the console log is asynchronous and buffered: stopping logback writes out what is still queued
            if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
                logback.stop();
            }
            stopped.countDown();
        }, "cpm-router-shutdown"));
        LOG.info(router.readyLine());
        System.out.println(router.readyLine());
        System.out.flush();
        stopped.await();
    }

    /** Asks the running router (its admin API) what each role would decide; it reads its live store. */
    private static int dryRun(Path file, String candidateRules, String admin) throws Exception {
        byte[] wire = java.nio.file.Files.readAllBytes(file);
        String url = admin + RulesAdminRoute.BASE_PATH + "/dry-run" + (candidateRules == null ? ""
                : "?rules=" + java.net.URLEncoder.encode(candidateRules, java.nio.charset.StandardCharsets.UTF_8));
        java.net.http.HttpResponse<String> response;
        try {
            response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(url)).header("Content-Type", "text/plain")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(wire)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            System.err.println("cpm-router: dry-run needs the running router's admin API at " + admin + ": " + e);
            return 2;
        }
        (response.statusCode() == 200 ? System.out : System.err).print(response.body());
        return response.statusCode() == 200 ? 0 : 1;
    }

    private static void usage() {
        System.out.println("usage: cpm-router [--sip-port N] [--data-dir DIR] [--config DIR] [--rules DIR]");
        System.out.println("       cpm-router check [--config DIR] [--rules DIR]");
        System.out.println("       cpm-router dry-run FILE [--rules CANDIDATE_DIR] [--admin http://127.0.0.1:8081]");
        System.out.println("  --sip-port N    SIP port on 127.0.0.1, UDP and TCP (default 5060; cpm.sip.port)");
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
