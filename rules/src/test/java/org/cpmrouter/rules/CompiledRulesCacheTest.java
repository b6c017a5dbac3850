package org.cpmrouter.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiled rule sets kept between starts, with real Drools compiles: a kept compile is what a start with the same
 * rule files uses; new rule text compiles afresh; a kept file that does not load is compiled again and replaced.
 */
class CompiledRulesCacheTest {

    private static final String PERMIT = """
            package org.cpmrouter.policy;
            import org.cpmrouter.rules.facts.MessageContext;
            import org.cpmrouter.rules.facts.Permit;
            rule "T-010 Everything is permitted"
                @id("T-010")
            when
                MessageContext()
            then
                insert( new Permit() );
            end
            """;
    private static final String DENY = """
            package org.cpmrouter.policy;
            import org.cpmrouter.rules.facts.MessageContext;
            import org.cpmrouter.rules.facts.Denial;
            rule "T-010 Everything is forbidden"
                @id("T-010")
            when
                MessageContext()
            then
                insert( new Denial( 403, "kept compile" ) );
            end
            """;

    @Test
    void should_use_the_kept_compile_when_the_rule_files_are_the_same(@TempDir Path tmp) throws Exception {
        Path rules = rulesDir(tmp.resolve("rules"), PERMIT);
        Path kept = tmp.resolve("compiled");
        RuleSet first = RuleCompiler.compile(rules, kept);
        assertEquals(Verdict.PERMIT, decide(first));
        assertEquals(1, keptFiles(kept).size());

        // plant the compile of other rules under the key of these files: a start that loads it, not compiles, denies
        byte[] other = Files.readAllBytes(keptFiles(compiledElsewhere(tmp, DENY)).get(0));
        Files.write(keptFiles(kept).get(0), other);

        RuleSet second = RuleCompiler.compile(rules, kept);
        assertEquals(Verdict.DENY, decide(second), "the kept compile was used");
        assertEquals(first.hash(), second.hash());
        assertEquals(List.of("T-010"), second.ruleIds());
    }

    @Test
    void should_compile_afresh_when_a_rule_file_changes(@TempDir Path tmp) throws Exception {
        Path rules = rulesDir(tmp.resolve("rules"), PERMIT);
        Path kept = tmp.resolve("compiled");
        RuleCompiler.compile(rules, kept);

        rulesDir(rules, DENY);
        RuleSet edited = RuleCompiler.compile(rules, kept);

        assertEquals(Verdict.DENY, decide(edited));
        assertEquals(2, keptFiles(kept).size(), "one compile per rule text");
    }

    @Test
    void should_compile_again_and_replace_a_kept_file_that_does_not_load(@TempDir Path tmp) throws Exception {
        Path rules = rulesDir(tmp.resolve("rules"), PERMIT);
        Path kept = tmp.resolve("compiled");
        RuleCompiler.compile(rules, kept);
        Path file = keptFiles(kept).get(0);
        Files.writeString(file, "cut short by a crash");

        RuleSet again = RuleCompiler.compile(rules, kept);

        assertEquals(Verdict.PERMIT, decide(again));
        assertEquals(List.of(file), keptFiles(kept));
        assertNotEquals("cut short by a crash", Files.readString(file, StandardCharsets.ISO_8859_1));
        assertEquals(Verdict.PERMIT, decide(RuleCompiler.compile(rules, kept)), "the replacement loads");
    }

    @Test
    void should_key_a_compile_by_the_file_names_and_bytes() {
        String key = CompiledRulesCache.key(new TreeMap<>(Map.of("a.drl", new byte[] {1})));
        assertEquals(key, CompiledRulesCache.key(new TreeMap<>(Map.of("a.drl", new byte[] {1}))));
        assertNotEquals(key, CompiledRulesCache.key(new TreeMap<>(Map.of("b.drl", new byte[] {1}))));
        assertNotEquals(key, CompiledRulesCache.key(new TreeMap<>(Map.of("a.drl", new byte[] {2}))));
        assertTrue(key.matches("[0-9a-f]{64}"), key);
    }

    private static Path compiledElsewhere(Path tmp, String drl) throws Exception {
        Path kept = tmp.resolve("elsewhere-compiled");
        RuleCompiler.compile(rulesDir(tmp.resolve("elsewhere"), drl), kept);
        return kept;
    }

    private static Path rulesDir(Path dir, String drl) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("test.drl"), drl);
        return dir;
    }

    private static List<Path> keptFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".kjar")).sorted().toList();
        }
    }

    private static Verdict decide(RuleSet rules) {
        MessageContext context = MessageContext.builder().callId("c1").stage(Stage.ORIGINATING_AUTHORIZATION)
                .sender("sip:alice@cpm.example.com").target("sip:bob@cpm.example.com").build();
        return new PolicyEngine(rules, List.of()).decide(context, List.of()).verdict();
    }
}
