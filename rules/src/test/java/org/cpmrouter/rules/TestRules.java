package org.cpmrouter.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Stage;

/** Shared helpers: where the shipped rule files are, and a compiled copy of them (compiled once per JVM). */
final class TestRules {

    static final String ALICE = "sip:alice@cpm.example.net";
    static final String BOB = "sip:bob@cpm.example.net";

    private static RuleSet shipped;

    private TestRules() {
    }

    /**
     * The module folder holding the operator-editable .drl files. Surefire runs with the module as working
     * directory and sets {@code basedir}; an IDE may run from the repository root instead.
     */
    static Path shippedDirectory() {
        List<Path> candidates = new ArrayList<>();
        String basedir = System.getProperty("basedir");
        if (basedir != null) {
            candidates.add(Path.of(basedir));
        }
        Path cwd = Path.of("").toAbsolutePath();
        candidates.add(cwd);
        candidates.add(cwd.resolve("rules"));
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve("pom.xml")) && Files.isRegularFile(c.resolve("authorization.drl"))) {
                return c.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("cannot find the rules module folder among " + candidates);
    }

    static synchronized RuleSet shipped() throws RuleCompilationException {
        if (shipped == null) {
            shipped = RuleCompiler.compile(shippedDirectory());
        }
        return shipped;
    }

    /** Copies the shipped .drl files (all, or only the named ones) into {@code target}. */
    static Path copyShipped(Path target, String... only) {
        try (Stream<Path> files = Files.list(shippedDirectory())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".drl") && (only.length == 0 || List.of(only).contains(name))) {
                    Files.copy(p, target.resolve(name));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MessageContext message(Stage stage, String sender, String target) {
        return MessageContext.builder()
                .callId("call-" + stage.name().toLowerCase() + "@test")
                .stage(stage)
                .sender(sender)
                .target(target)
                .contentType("text/plain")
                .bodyLength(5)
                .build();
    }
}
