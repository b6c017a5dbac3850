package org.cpmrouter.routes;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cpmrouter.groupstore.DemoDataLoader;
import org.cpmrouter.groupstore.InMemoryGroupStore;
import org.cpmrouter.groupstore.InMemorySubscriberStore;
import org.cpmrouter.routes.auth.DigestAuthSettings;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.rules.RuleCompilationException;
import org.cpmrouter.rules.RuleCompiler;
import org.cpmrouter.rules.RuleSet;
import org.infinispan.configuration.parsing.ParserRegistry;

/**
 * {@code cpm-router check}: compiles the rules and validates the configuration, the Infinispan XML and the demo
 * data without opening a port or touching the data directory. Prints what it checked; every error is one line,
 * {@code file:line: message} where a line is known.
 */
public final class Check {

    private Check() {
    }

    /** @return 0 when everything is valid, 1 otherwise */
    public static int run(Path configDir, Path home, java.util.Map<String, String> overrides, PrintStream out) {
        List<String> errors = new ArrayList<>();
        RouterConfig config = null;
        try {
            config = RouterConfig.load(configDir, home, System.getenv(), overrides);
            out.println("ok  configuration " + configDir.resolve("application.properties"));
        } catch (IllegalArgumentException e) {
            errors.add(configDir.resolve("application.properties") + ": " + e.getMessage());
        }
        Path rulesDir = config != null ? config.homePath("cpm.rules.dir")
                : home.resolve(overrides.getOrDefault("cpm.rules.dir", "rules"));
        try {
            RuleSet rules = RuleCompiler.compile(rulesDir);
            out.println("ok  rules " + rulesDir + ": " + rules.files().size() + " files, " + rules.ruleIds().size()
                    + " rules, hash " + rules.hash());
        } catch (RuleCompilationException e) {
            e.problems().forEach(p -> errors.add(p.describeIn(rulesDir)));
        }
        if (config != null) {
            Path xml = config.configPath("cpm.infinispan.config");
            try {
                new ParserRegistry().parse(xml);
                out.println("ok  infinispan " + xml);
            } catch (Exception e) {
                errors.add(xml + ": " + rootMessage(e));
            }
            String realm = null;
            try {
                DigestAuthSettings auth = DigestAuthSettings.from(config);
                realm = auth.realm();
                out.println("ok  authentication " + (auth.enabled() ? "on, realm " + realm + ", "
                        + auth.algorithms().stream().map(a -> a.token()).toList()
                        : "OFF (cpm.auth.enabled=false)"));
            } catch (IllegalArgumentException e) {
                errors.add(configDir.resolve("application.properties") + ": " + e.getMessage());
            }
            String demoRealm = realm;
            checkDemo(config, "cpm.demo-data.subscribers", errors, out,
                    p -> DemoDataLoader.loadIfEmpty(new InMemorySubscriberStore(), p, demoRealm));
            checkDemo(config, "cpm.demo-data.groups", errors, out,
                    p -> DemoDataLoader.loadGroupsIfEmpty(new InMemoryGroupStore(), p));
        }
        errors.forEach(out::println); // file:line: message, the form editors and CI logs link to
        out.println(errors.isEmpty() ? "check passed" : "check failed: " + errors.size() + " error(s)");
        return errors.isEmpty() ? 0 : 1;
    }

    private static void checkDemo(RouterConfig config, String key, List<String> errors, PrintStream out,
                                  java.util.function.ToIntFunction<Path> load) {
        if (config.get(key).isBlank()) {
            return;
        }
        Path source = config.configPath(key);
        if (!Files.exists(source)) {
            errors.add(source + ": not found (" + key + ")");
            return;
        }
        try {
            out.println("ok  " + key + " " + source + ": " + load.applyAsInt(source) + " entries");
        } catch (IllegalArgumentException e) {
            errors.addAll(e.getMessage().lines().toList()); // one line per problem: file:line: message
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
