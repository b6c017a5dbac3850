package org.cpmrouter.routes.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in the project's Markdown files resolves: the file (or folder) exists, and for
 * {@code file.md#anchor} or {@code #anchor} the anchor is the GitHub slug of a heading of that file. External links
 * (any URI scheme: http, https, mailto...) and links into {@code ../shared/}, which exists only beside the repository,
 * are not checked. The README was split into docs/ pages; this keeps their cross-links from rotting.
 */
class MarkdownLinksTest {

    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", "node_modules");

    /** {@code [text](target)}, {@code ![alt](target)}, with an optional title; {@code <target>} is allowed. */
    private static final Pattern INLINE_LINK =
            Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\[\\]]*\\])*\\]\\(\\s*(<[^>]*>|[^\\s)]*)(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
    /** A reference definition: {@code [id]: target}. */
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");
    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}(#{1,6})(?:\\s+(.*?))?(?:\\s+#+)?\\s*$");
    private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^ {0,3}(=+|-+)\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    @Test
    void should_resolve_every_relative_link_when_the_project_markdown_is_scanned() {
        Path root = repositoryRoot();
        List<Path> files = markdownFiles(root);
        assertTrue(files.contains(root.resolve("README.md")), "no README.md found under " + root);

        List<String> broken = brokenLinks(root, files);

        assertTrue(broken.isEmpty(), () -> broken.size() + " broken link(s) in the project's Markdown:\n  "
                + String.join("\n  ", broken));
    }

    @Test
    void should_report_the_link_when_its_file_is_missing(@TempDir Path root) throws IOException {
        write(root, "README.md", "# Top\n\nSee [the guide](docs/guide.md) and [here](#top).\n");

        List<String> broken = brokenLinks(root, markdownFiles(root));

        assertEquals(List.of("README.md:3: docs/guide.md (no such file)"), broken);
    }

    @Test
    void should_report_the_link_when_its_anchor_is_no_heading_of_the_target(@TempDir Path root) throws IOException {
        write(root, "README.md", "# Top\n\n[a](docs/guide.md#setup) [b](docs/guide.md#install) [c](#nowhere)\n");
        write(root, "docs/guide.md", "# Guide\n\n## Install\n");

        List<String> broken = brokenLinks(root, markdownFiles(root));

        assertEquals(List.of("README.md:3: docs/guide.md#setup (no heading with that anchor)",
                "README.md:3: #nowhere (no heading with that anchor)"), broken);
    }

    @Test
    void should_accept_github_slugs_when_headings_carry_code_punctuation_and_repeats(@TempDir Path root)
            throws IOException {
        write(root, "docs/guide.md", String.join("\n",
                "# The admin API and `cpm-admin`",
                "## An SMS round trip (non-CPM users)",
                "## The stack is the ceiling for Kamailio's rate, not for its latency",
                "## Notes",
                "## Notes",
                "Setext heading",
                "--------------",
                "<a name=\"custom-anchor\"></a>",
                "",
                "[1](#the-admin-api-and-cpm-admin) [2](#an-sms-round-trip-non-cpm-users)",
                "[3](#the-stack-is-the-ceiling-for-kamailios-rate-not-for-its-latency)",
                "[4](#notes) [5](#notes-1) [6](#setext-heading) [7](#custom-anchor) [8](guide.md#notes)",
                ""));

        assertEquals(List.of(), brokenLinks(root, markdownFiles(root)));
    }

    @Test
    void should_ignore_links_when_they_are_external_in_code_or_into_shared(@TempDir Path repo) throws IOException {
        Path root = Files.createDirectories(repo.resolve("repo"));
        write(root, "README.md", String.join("\n",
                "# Top",
                "[w](https://example.com/x.md) [m](mailto:ops@example.com) [s](../shared/bench/README.md)",
                "`[not a link](missing.md)`",
                "```",
                "[not a link either](missing.md)",
                "# not a heading",
                "```",
                "[folder](docs) [title](docs/a.md \"A page\") [angle](<docs/a.md#a>) [r][ref]",
                "",
                "[ref]: docs/a.md#a",
                ""));
        write(root, "docs/a.md", "# A\n");
        write(root, "target/generated.md", "[broken](nowhere.md)\n");
        write(root, "node_modules/x/README.md", "[broken](nowhere.md)\n");

        assertEquals(List.of(), brokenLinks(root, markdownFiles(root)));
    }

    @Test
    void should_report_the_link_when_it_leaves_the_repository_elsewhere_than_shared(@TempDir Path repo)
            throws IOException {
        Path root = Files.createDirectories(repo.resolve("repo"));
        Files.createDirectories(repo.resolve("elsewhere"));
        write(root, "README.md", "[out](../elsewhere)\n");

        assertEquals(List.of("README.md:1: ../elsewhere (outside the repository)"),
                brokenLinks(root, markdownFiles(root)));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The directory of the top-level pom.xml: the first one up from here whose own artifactId is the parent's. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && isParentPom(read(pom))) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml with <artifactId>cpm-router-parent</artifactId> above "
                + Path.of("").toAbsolutePath());
    }

    private static boolean isParentPom(String pom) {
        // a module's pom names cpm-router-parent inside <parent>; the top-level one names it as its own artifactId
        String withoutParent = pom.replaceAll("(?s)<parent>.*?</parent>", "");
        return withoutParent.contains("<artifactId>cpm-router-parent</artifactId>");
    }

    private static List<Path> markdownFiles(Path root) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".md")) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files;
    }

    /** One line per broken link, {@code file:line: target (why)}, in file and line order. */
    private static List<String> brokenLinks(Path root, List<Path> files) {
        Path shared = root.getParent() == null ? null : root.getParent().resolve("shared").normalize();
        Map<Path, Set<String>> anchorsByFile = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = proseLines(read(file));
            for (int i = 0; i < lines.size(); i++) {
                for (String target : linkTargets(lines.get(i))) {
                    String problem = problem(root, shared, file, target, anchorsByFile);
                    if (problem != null) {
                        broken.add(root.relativize(file).toString().replace('\\', '/') + ":" + (i + 1) + ": "
                                + target + " (" + problem + ")");
                    }
                }
            }
        }
        return broken;
    }

    /** Why the link is broken, or null when it resolves or is not checked. */
    private static String problem(Path root, Path shared, Path file, String target,
            Map<Path, Set<String>> anchorsByFile) {
        if (target.isEmpty() || URI_SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        int query = pathPart.indexOf('?');
        if (query >= 0) {
            pathPart = pathPart.substring(0, query);
        }
        Path resolved;
        if (pathPart.isEmpty()) {
            resolved = file;
        } else {
            String decoded = URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);
            resolved = decoded.startsWith("/")
                    ? root.resolve(decoded.substring(1)).normalize()
                    : file.getParent().resolve(decoded).normalize();
            if (shared != null && resolved.startsWith(shared)) {
                return null;
            }
            if (!resolved.startsWith(root)) {
                return "outside the repository";
            }
            if (!Files.exists(resolved)) {
                return "no such file";
            }
        }
        if (anchor == null || anchor.isEmpty() || !resolved.getFileName().toString().endsWith(".md")
                || Files.isDirectory(resolved)) {
            return null;
        }
        Set<String> anchors = anchorsByFile.computeIfAbsent(resolved, p -> anchors(read(p)));
        String wanted = URLDecoder.decode(anchor.replace("+", "%2B"), StandardCharsets.UTF_8);
        return anchors.contains(wanted) ? null : "no heading with that anchor";
    }

    /** The link targets of one line of prose (code spans removed). */
    private static List<String> linkTargets(String line) {
        String prose = CODE_SPAN.matcher(line).replaceAll("");
        List<String> targets = new ArrayList<>();
        Matcher inline = INLINE_LINK.matcher(prose);
        while (inline.find()) {
            targets.add(unbracket(inline.group(1)));
        }
        Matcher reference = REFERENCE_DEFINITION.matcher(prose);
        if (reference.find()) {
            targets.add(unbracket(reference.group(1)));
        }
        return targets;
    }

    private static String unbracket(String target) {
        return target.startsWith("<") && target.endsWith(">") ? target.substring(1, target.length() - 1) : target;
    }

    /** The lines of a Markdown text with the lines of fenced code blocks blanked, so numbering is kept. */
    private static List<String> proseLines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher f = FENCE.matcher(lines.get(i));
            if (fence == null && f.find()) {
                fence = f.group(1);
                lines.set(i, "");
            } else if (fence != null) {
                String trimmed = lines.get(i).trim();
                char fenceChar = fence.charAt(0);
                if (trimmed.startsWith(fence) && trimmed.chars().allMatch(c -> c == fenceChar)) {
                    fence = null;
                }
                lines.set(i, "");
            }
        }
        return lines;
    }

    /** The anchors GitHub makes for a Markdown text: heading slugs (repeats get -1, -2...) and HTML name/id anchors. */
    private static Set<String> anchors(String text) {
        List<String> lines = proseLines(text);
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String heading = null;
            Matcher atx = ATX_HEADING.matcher(line);
            if (atx.matches()) {
                heading = atx.group(2) == null ? "" : atx.group(2);
            } else if (i + 1 < lines.size() && SETEXT_UNDERLINE.matcher(lines.get(i + 1)).matches()
                    && isSetextText(line)) {
                heading = line.trim();
            }
            if (heading != null) {
                String slug = slug(heading);
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                anchors.add(html.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return anchors;
    }

    private static boolean isSetextText(String line) {
        String t = line.trim();
        return !t.isEmpty() && !t.startsWith("|") && !t.startsWith("#") && !t.startsWith("-") && !t.startsWith("*")
                && !t.startsWith(">") && !SETEXT_UNDERLINE.matcher(line).matches();
    }

    /** GitHub's heading anchor: the rendered text lower-cased, punctuation dropped, spaces turned into hyphens. */
    private static String slug(String heading) {
        String text = heading
                .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // links and images: their text
                .replaceAll("<[^>]+>", "")                          // inline HTML tags
                .replace("`", "")
                .replaceAll("(\\*\\*|__|\\*|~~)", "");              // emphasis markers
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || Character.getType(c) == Character.NON_SPACING_MARK) {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
