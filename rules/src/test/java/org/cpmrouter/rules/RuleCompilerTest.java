package org.cpmrouter.rules;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleCompilerTest {

    private static final List<String> SHIPPED_IDS = List.of(
            "AUTH-010", "AUTH-020", "AUTH-030", "AUTH-090", "AUTH-110", "AUTH-120", "AUTH-130", "AUTH-190",
            "CLASS-010", "CLASS-020", "CLASS-030", "CLASS-040", "CLASS-050", "CLASS-090", "DELIVER-010", "DELIVER-020",
            "GROUP-010", "GROUP-020", "GROUP-030", "GROUP-040", "GROUP-050", "GROUP-081", "GROUP-082", "GROUP-083",
            "IW-010", "IW-020", "IW-030", "IW-090", "REPORT-010", "REPORT-020", "REPORT-090", "ROUTE-010",
            "ROUTE-020", "ROUTE-030", "ROUTE-050", "ROUTE-090", "SMS-010", "SMS-020", "ULIST-010", "ULIST-020",
            "ULIST-030", "ULIST-040", "ULIST-090");

    private static RuleSet shipped;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        shipped = TestRules.shipped();
    }

    @Test
    void should_compile_every_rule_with_a_unique_id_when_shipped_rules_are_used() throws IOException {
        assertEquals(SHIPPED_IDS, shipped.ruleIds());
        assertEquals(List.of("address-type-classification.drl", "authorization.drl", "delivery-reports.drl",
                "group-authorization.drl", "interworking-selection.drl", "recipient-delivery.drl",
                "routing-by-address-type.drl", "sms-quota.drl", "uri-list.drl"), shipped.files());
        assertEquals(TestRules.shippedDirectory(), shipped.directory());
        assertTrue(shipped.hash().matches("[0-9a-f]{12}"), shipped.hash());

        // the text agrees: every rule declares its @id once and its name starts with that id
        List<String> declared = new ArrayList<>();
        Pattern rule = Pattern.compile("(?m)^rule \"([A-Z]+-\\d{3}) [^\"]+\"\\R\\s+@id\\(\"([A-Z]+-\\d{3})\"\\)");
        for (String file : shipped.files()) {
            Matcher m = rule.matcher(Files.readString(shipped.directory().resolve(file)));
            while (m.find()) {
                assertEquals(m.group(1), m.group(2), file);
                declared.add(m.group(2));
            }
        }
        assertEquals(SHIPPED_IDS, declared.stream().sorted().toList());
    }

    @Test
    void should_follow_the_operator_conventions_when_shipped_rule_files_are_read() throws IOException {
        for (String file : shipped.files()) {
            List<String> lines = Files.readAllLines(shipped.directory().resolve(file), StandardCharsets.UTF_8);
            int pkg = lines.indexOf("package org.cpmrouter.policy;");
            List<String> header = lines.subList(0, pkg).stream().filter(l -> !l.isBlank()).toList();
            assertAll(file,
                    () -> assertTrue(file.matches("[a-z]+(-[a-z]+)*\\.drl"), "kebab-case name"),
                    () -> assertTrue(pkg > 0, "package declaration"),
                    () -> assertTrue(header.size() >= 5 && header.size() <= 10, "5-10 header lines: " + header),
                    () -> assertTrue(header.stream().allMatch(l -> l.startsWith("//")), "header is comments"),
                    () -> assertTrue(header.get(0).startsWith("// Purpose:"), "Purpose first"),
                    () -> assertTrue(header.stream().anyMatch(l -> l.startsWith("// Facts read:")), "Facts read"),
                    () -> assertTrue(header.stream().anyMatch(l -> l.startsWith("// Decision written:")), "Decision"),
                    () -> assertTrue(header.stream().anyMatch(l -> l.contains("mvn -pl rules test -Dtest=")), "test"),
                    () -> assertEquals("// SPDX-License-Identifier: Apache-2.0", header.get(header.size() - 1)));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int n = i + 1;
                if (line.startsWith("import ")) {
                    assertTrue(line.matches("import org\\.cpmrouter\\.rules\\.facts\\.[A-Z]\\w*;"), file + ":" + n);
                }
                if (line.startsWith("rule ")) {
                    assertTrue(lines.get(i - 1).startsWith("// "), file + ":" + n + " needs a comment above");
                }
                assertFalse(line.matches("\\s*(salience|agenda-group|auto-focus|activation-group)\\b.*"),
                        file + ":" + n);
                assertFalse(line.contains("System.out") || line.contains("System.err"), file + ":" + n);
                // the id is written once, in @id: a decision fact gets it from the rule that inserts it
                assertFalse(line.matches(".*new (Denial|Permit|Route|ServiceChoice)\\(\\s*\"[A-Z]+-\\d+\".*"),
                        file + ":" + n + " repeats the rule id");
            }
        }
    }

    @Test
    void should_report_file_and_line_when_a_copy_has_a_syntax_error(@TempDir Path dir) throws IOException {
        TestRules.copyShipped(dir, "authorization.drl", "recipient-delivery.drl");
        Path file = dir.resolve("authorization.drl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int index = lines.indexOf("    MessageContext( stage == Stage.TERMINATING_AUTHORIZATION, $target : target )");
        assertTrue(index > 0);
        lines.set(index, "    MessageContext( stage === Stage.TERMINATING_AUTHORIZATION, $target : target )");
        Files.write(file, lines);

        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        assertFalse(e.problems().isEmpty());
        for (RuleProblem p : e.problems()) {
            assertEquals("authorization.drl", p.file(), e::getMessage);
            assertTrue(p.line() > 0, e::getMessage);
            assertTrue(e.getMessage().contains("authorization.drl:" + p.line() + ": "), e::getMessage);
        }
        assertEquals(index + 1, e.problems().get(0).line(), e::getMessage);
    }

    @Test
    void should_report_file_when_a_consequence_does_not_compile(@TempDir Path dir) {
        DrlFixtures.copy("broken-consequence.drl", dir);

        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        int line = DrlFixtures.lineOf("broken-consequence.drl", "    insert( new Route( Destination.NO_SUCH_PLACE ) );");
        assertEquals(1, e.problems().size(), e::getMessage);
        RuleProblem p = e.problems().get(0);
        assertEquals("broken-consequence.drl", p.file(), e::getMessage);
        assertEquals(line, p.line(), e::getMessage);
        assertTrue(p.message().contains("NO_SUCH_PLACE"), e::getMessage);
    }

    @Test
    void should_report_the_statement_line_on_one_line_when_a_consequence_does_not_parse(@TempDir Path dir) {
        DrlFixtures.copy("unparsable-consequence.drl", dir);

        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        int line = DrlFixtures.lineOf("unparsable-consequence.drl", "    insert( new Denial( 403, \"second\" ) ;");
        assertEquals(1, e.problems().size(), e::getMessage);
        RuleProblem p = e.problems().get(0);
        assertEquals("unparsable-consequence.drl", p.file(), e::getMessage);
        assertEquals(line, p.line(), e::getMessage);
        assertTrue(p.message().startsWith("cannot parse the consequence: Parse error. Found \";\""), p::message);
        // no parser stack trace, no list of every Java token, one line
        assertFalse(p.message().contains("stacktrace") || p.message().contains("JavaParser")
                || p.message().contains("expected one of") || p.message().contains("\n"), p::message);
        assertEquals("unparsable-consequence.drl:" + line + ": " + p.message(), e.getMessage());
    }

    @Test
    void should_report_the_condition_line_when_a_property_does_not_exist(@TempDir Path dir) {
        DrlFixtures.copy("unknown-property.drl", dir);

        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        int line = DrlFixtures.lineOf("unknown-property.drl", "    KnownSubscriber( bared == true )");
        assertEquals(1, e.problems().size(), e::getMessage);
        RuleProblem p = e.problems().get(0);
        assertEquals(line, p.line(), e::getMessage);
        assertTrue(p.message().contains("bared"), p::message);
    }

    @Test
    void should_name_the_rules_directory_and_omit_an_unknown_line_when_a_problem_is_described() {
        Path rules = Path.of("/srv/cpm/rules");
        assertEquals("/srv/cpm/rules/a.drl:7: no", new RuleProblem("a.drl", 7, "no").describeIn(rules));
        assertEquals("/srv/cpm/rules/a.drl: no", new RuleProblem("a.drl", 0, "no").describeIn(rules));
        assertEquals("/srv/cpm/rules: no *.drl file", new RuleProblem("", 0, "no *.drl file").describeIn(rules));
        assertEquals("a.drl:7: first second", new RuleProblem("a.drl", 7, "first\n  second\n").toString());
    }

    @Test
    void should_say_what_to_write_when_a_consequence_repeats_its_rule_id(@TempDir Path dir) {
        DrlFixtures.copy("id-in-consequence.drl", dir);

        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        int line = DrlFixtures.lineOf("id-in-consequence.drl", "    insert( new Denial( \"OLD-010\", 400, \"Empty body\" ) );");
        assertEquals(1, e.problems().size(), e::getMessage);
        RuleProblem p = e.problems().get(0);
        assertEquals("id-in-consequence.drl", p.file(), e::getMessage);
        assertEquals(line, p.line(), e::getMessage);
        assertTrue(p.message().contains("a decision no longer names its rule id"), e::getMessage);
        assertTrue(p.message().contains("new Denial( 403, \"...\" )"), e::getMessage);
    }

    @Test
    void should_refuse_rule_set_when_a_rule_has_no_id_or_a_duplicate_id(@TempDir Path dir) throws IOException {
        DrlFixtures.copy("ids-missing-and-duplicate.drl", dir, "ids.drl");
        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        assertEquals(2, e.problems().size(), e::getMessage);
        assertTrue(e.problems().contains(new RuleProblem("ids.drl", 14,
                "rule \"Forgot the id\" has no @id(\"...\") metadata")), e::getMessage);
        RuleProblem duplicate = e.problems().stream().filter(p -> p.message().contains("reuses")).findFirst()
                .orElseThrow(() -> new AssertionError(e.getMessage()));
        assertEquals("ids.drl", duplicate.file());
        assertTrue(duplicate.line() == 6 || duplicate.line() == 21, e::getMessage);
        assertTrue(duplicate.message().contains("@id(\"X-001\")"), e::getMessage);
    }

    @Test
    void should_refuse_with_file_and_line_when_a_rule_has_no_id(@TempDir Path dir) {
        DrlFixtures.copy("id-missing.drl", dir);
        int line = DrlFixtures.lineOf("id-missing.drl", "rule \"MISS-002 Forgot the id\"");

        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        assertEquals("id-missing.drl:" + line + ": rule \"MISS-002 Forgot the id\" has no @id(\"...\") metadata",
                e.getMessage());
        assertEquals(List.of(new RuleProblem("id-missing.drl", line,
                "rule \"MISS-002 Forgot the id\" has no @id(\"...\") metadata")), e.problems());
    }

    @Test
    void should_refuse_with_file_and_line_when_a_rule_name_and_its_id_disagree(@TempDir Path dir) {
        DrlFixtures.copy("id-disagrees-with-name.drl", dir);
        int line = DrlFixtures.lineOf("id-disagrees-with-name.drl", "rule \"NAME-003 Name and id disagree\"");

        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        assertEquals("id-disagrees-with-name.drl:" + line + ": rule \"NAME-003 Name and id disagree\" has"
                + " @id(\"NAME-002\") but its name does not start with \"NAME-002 \"", e.getMessage());
        assertEquals(1, e.problems().size(), e::getMessage);
    }

    @Test
    void should_refuse_with_both_places_when_two_files_share_an_id(@TempDir Path dir) {
        DrlFixtures.copy("id-duplicate-first.drl", dir);
        DrlFixtures.copy("id-duplicate-second.drl", dir);
        int first = DrlFixtures.lineOf("id-duplicate-first.drl", "rule \"DUP-001 The original\"");
        int second = DrlFixtures.lineOf("id-duplicate-second.drl", "rule \"DUP-001 The copy\"");

        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        assertEquals("id-duplicate-second.drl:" + second + ": rule \"DUP-001 The copy\" reuses @id(\"DUP-001\")"
                + " of rule \"DUP-001 The original\" (id-duplicate-first.drl:" + first + ")", e.getMessage());
        assertEquals(1, e.problems().size(), e::getMessage);
    }

    @Test
    void should_refuse_directory_when_it_has_no_rule_file(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("README.txt"), "not a rule");
        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> RuleCompiler.compile(dir));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().contains("no *.drl file"), e::getMessage);
    }

    @Test
    void should_change_hash_only_when_a_file_changes(@TempDir Path dir) throws Exception {
        TestRules.copyShipped(dir);
        // same names and bytes in another directory: same hash
        RuleSet copy = RuleCompiler.compile(dir);
        assertEquals(shipped.hash(), copy.hash());
        assertEquals(shipped.ruleIds(), copy.ruleIds());

        Path file = dir.resolve("recipient-delivery.drl");
        Files.writeString(file, Files.readString(file) + "\n// an operator's note\n");
        RuleSet edited = RuleCompiler.compile(dir);
        assertNotEquals(shipped.hash(), edited.hash());
        assertEquals(shipped.ruleIds(), edited.ruleIds());
    }
}
