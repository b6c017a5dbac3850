package org.cpmrouter.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cpm-router check} on the shipped configuration with a broken copy of the rules: what an operator reads. */
class CheckTest {

    private static final Path HOME = Path.of(System.getProperty("cpm.home", "..")).toAbsolutePath().normalize();

    @Test
    void should_print_one_line_naming_the_broken_statement_when_a_consequence_does_not_parse(@TempDir Path rules)
            throws IOException {
        copyShippedRules(rules);
        Path file = rules.resolve("authorization.drl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String statement = "    insert( new Denial( 403, \"Sender is barred\" ) );";
        int broken = lines.indexOf(statement);
        assertTrue(broken > 0, "the shipped AUTH-030 consequence");
        String edited = statement.replace(" ) );", " ;"); // a parenthesis missing
        lines.set(broken, edited);
        Files.write(file, lines);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Check.run(HOME.resolve("config"), HOME, Map.of("cpm.rules.dir", rules.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertEquals(1, status);
        List<String> printed = out.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> problems = printed.stream().filter(l -> !l.startsWith("ok ") && !l.startsWith("check ")).toList();
        assertEquals(List.of(file + ":" + (broken + 1) + ": cannot parse the consequence: Parse error. Found \";\""),
                problems, String.join("\n", printed));
        assertEquals("check failed: 1 error(s)", printed.get(printed.size() - 1));
    }

    @Test
    void should_pass_on_the_shipped_files() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Check.run(HOME.resolve("config"), HOME, Map.of(), new PrintStream(out, true,
                StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        assertFalse(printed.lines().anyMatch(l -> !l.startsWith("ok ") && !l.equals("check passed")), printed);
    }

    private static void copyShippedRules(Path into) throws IOException {
        try (Stream<Path> files = Files.list(HOME.resolve("rules"))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(p, into.resolve(p.getFileName()));
            }
        }
    }
}
