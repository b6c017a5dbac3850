package org.cpmrouter.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** rules/README.md lists exactly the shipped rule ids, each under the heading of the file that declares it. */
class RulesReadmeTest {

    private static final Pattern ID = Pattern.compile("[A-Z]+-\\d{3}");
    private static final Pattern FILE_HEADING = Pattern.compile("^#{2,4}\\s+`?([\\w.-]+\\.drl)`?\\s*$");
    private static final Pattern ID_METADATA = Pattern.compile("@id\\(\"([^\"]+)\"\\)");

    @Test
    void should_list_every_shipped_rule_id_under_its_file_when_the_readme_is_read() throws Exception {
        RuleSet shipped = TestRules.shipped();
        Path readme = TestRules.shippedDirectory().resolve("README.md");
        assertTrue(Files.isRegularFile(readme), readme + " is missing");

        // id -> file, from the README's table rows (the first cell that holds an id), under "### file.drl" headings
        Map<String, String> documented = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        String heading = "(no file heading)";
        List<String> lines = Files.readAllLines(readme);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher h = FILE_HEADING.matcher(line);
            if (h.matches()) {
                heading = h.group(1);
                continue;
            }
            if (line.startsWith("#")) {
                heading = "(no file heading)";
                continue;
            }
            if (!line.startsWith("|")) {
                continue;
            }
            String firstCell = line.substring(1).split("\\|", -1)[0].strip();
            Matcher m = ID.matcher(firstCell);
            if (m.matches() && documented.put(m.group(), heading) != null) {
                duplicates.add(m.group() + " (README.md:" + (i + 1) + ")");
            }
        }

        Map<String, String> declared = declaredIds(shipped);
        assertEquals(new TreeSet<>(shipped.ruleIds()), declared.keySet(), "every compiled rule's @id found in the text");

        Set<String> missing = new TreeSet<>(declared.keySet());
        missing.removeAll(documented.keySet());
        Set<String> stale = new TreeSet<>(documented.keySet());
        stale.removeAll(declared.keySet());
        List<String> misplaced = declared.entrySet().stream()
                .filter(e -> documented.containsKey(e.getKey()) && !documented.get(e.getKey()).equals(e.getValue()))
                .map(e -> e.getKey() + " is in " + e.getValue() + " but listed under " + documented.get(e.getKey()))
                .toList();
        assertTrue(missing.isEmpty() && stale.isEmpty() && misplaced.isEmpty() && duplicates.isEmpty(),
                () -> "rules/README.md and the rule files disagree:"
                        + (missing.isEmpty() ? "" : "\n  not in the README's table: " + missing)
                        + (stale.isEmpty() ? "" : "\n  in the table but no such rule: " + stale)
                        + (misplaced.isEmpty() ? "" : "\n  " + String.join("\n  ", misplaced))
                        + (duplicates.isEmpty() ? "" : "\n  listed twice: " + duplicates));
    }

    /** The {@code @id} of every rule in the shipped files, with the file declaring it. */
    private static Map<String, String> declaredIds(RuleSet shipped) throws IOException {
        Map<String, String> ids = new TreeMap<>();
        for (String file : shipped.files()) {
            Matcher m = ID_METADATA.matcher(Files.readString(shipped.directory().resolve(file)));
            while (m.find()) {
                ids.put(m.group(1), file);
            }
        }
        return ids;
    }
}
