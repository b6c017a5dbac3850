package org.cpmrouter.rules;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.model.Model;
import org.drools.model.codegen.ExecutableModelProject;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Compiles a directory of operator-editable {@code .drl} files into a {@link RuleSet} (Drools executable model). */
public final class RuleCompiler {

    /** The compiler's complaint about a decision fact built with the old leading rule-id argument. */
    private static final Pattern OLD_ID_CONSTRUCTOR = Pattern.compile(
            "constructor (Denial|Permit|Route|ServiceChoice)\\(String(, [^)]*)?\\) is undefined");

    /** The Java parser's complaint about a consequence: its line and column inside the consequence, and what. */
    private static final Pattern CONSEQUENCE_PARSE_ERROR = Pattern.compile(
            "Unable to parse consequence caused by: \\(line (\\d+),\\s*col \\d+\\)\\s*(.*)", Pattern.DOTALL);
    /** The list of tokens the Java parser would have taken; dropped when it is longer than a few. */
    private static final Pattern EXPECTED_TOKENS = Pattern.compile(",?\\s*expected one of\\s+(.*)$", Pattern.DOTALL);
    private static final int MAX_EXPECTED_TOKENS = 4;
    private static final Pattern THEN = Pattern.compile("^\\s*then\\b");
    private static final String STACK_TRACE_MARKER = "Problem stacktrace";
    private static final Pattern GENERATED_CLASS = Pattern.compile("for the type Lambda\\w+");

    private static final Logger LOG = LoggerFactory.getLogger(RuleCompiler.class);

    /** Where each operator file is placed inside the in-memory KIE project. */
    static final String KIE_PATH_PREFIX = "src/main/resources/org/cpmrouter/policy/";
    static final String DRL_SUFFIX = ".drl";
    static final String ID_METADATA = "id";
    private static final String KIE_GROUP = "org.cpmrouter.policy";
    private static final String KIE_ARTIFACT = "policy-rules";
    /** The list of executable model classes in a built module. */
    private static final String MODEL_LIST = "META-INF/kie/" + KIE_GROUP + "/" + KIE_ARTIFACT + "/drools-model";
    private static final String MODEL_VERSION_PREFIX = "Drools-Model-Version:";

    private static final Pattern RULE_DECLARATION =
            Pattern.compile("^\\s*rule\\s+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'|(\\S+))");
    private static final AtomicLong BUILD_COUNTER = new AtomicLong();

    private RuleCompiler() {
    }

    /**
     * Compiles every {@code *.drl} file directly inside {@code rulesDir} (sub-directories are ignored).
     *
     * @throws RuleCompilationException when the directory cannot be read or holds no rule file, a file does not
     *         compile, a rule has no {@code @id}, a rule's name does not start with its {@code @id}, or two rules
     *         (in any files) share an {@code @id}
     */
    public static RuleSet compile(Path rulesDir) throws RuleCompilationException {
        return compile(rulesDir, null);
    }

    /**
     * As {@link #compile(Path)}, keeping each compile in {@code compiledRulesDir} ({@code null}: none kept): when the
     * rule files, the router and Drools are those of a kept compile, its classes are loaded instead of compiling the
     * files again ({@link CompiledRulesCache}). The checks of the rule ids run either way.
     */
    public static RuleSet compile(Path rulesDir, Path compiledRulesDir) throws RuleCompilationException {
        long started = System.nanoTime();
        Path dir = rulesDir.toAbsolutePath().normalize();
        Map<String, byte[]> sources = readSources(dir);
        String hash = hash(sources);

        CompiledRulesCache cache = compiledRulesDir == null ? null : new CompiledRulesCache(compiledRulesDir);
        String key = cache == null ? null : CompiledRulesCache.key(sources);
        KieBase kieBase = cache == null ? null : loadKept(cache, key);
        boolean loaded = kieBase != null;
        byte[] kjar = null;
        if (!loaded) {
            kjar = build(dir, sources, hash);
            kieBase = kieBaseOf(kjar);
        }

        Map<String, String> idsByName = new HashMap<>();
        Map<String, String> nameById = new TreeMap<>();
        List<RuleProblem> problems = checkIds(kieBase, locateRules(sources), idsByName, nameById);
        if (nameById.isEmpty() && problems.isEmpty()) {
            problems.add(new RuleProblem(dir.toString(), 0, "the rule files define no rule"));
        }
        if (!problems.isEmpty()) {
            throw new RuleCompilationException(problems);
        }

        if (cache != null && kjar != null) {
            cache.write(key, kjar); // only a compile that passed every check is kept
        }
        RuleSet ruleSet = new RuleSet(dir, List.copyOf(sources.keySet()), hash,
                List.copyOf(nameById.keySet()), idsByName, kieBase);
        LOG.info("{} rules dir={} files={} rules={} ruleset={} in {} ms", loaded ? "loaded compiled" : "compiled", dir,
                sources.size(), nameById.size(), hash, (System.nanoTime() - started) / 1_000_000);
        return ruleSet;
    }

    /**
     * Builds the rule files into a KIE module with the executable model, as jar bytes.
     *
     * @throws RuleCompilationException when a file does not compile
     */
    private static byte[] build(Path dir, Map<String, byte[]> sources, String hash) throws RuleCompilationException {
        KieServices ks = KieServices.Factory.get();
        // A unique release id per build: concurrent compilations never share a module in the global KieRepository.
        ReleaseId releaseId = ks.newReleaseId(KIE_GROUP, KIE_ARTIFACT,
                "0.0.0-" + hash + "-" + BUILD_COUNTER.incrementAndGet());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        sources.forEach((name, bytes) -> kfs.write(KIE_PATH_PREFIX + name, bytes));

        KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        try {
            List<RuleProblem> problems = problemsOf(builder.getResults().getMessages(Message.Level.ERROR), sources);
            for (Message m : builder.getResults().getMessages(Message.Level.WARNING)) {
                LOG.warn("rules {}:{}: {}", operatorFileName(m.getPath()), Math.max(0, m.getLine()),
                        m.getText().strip());
            }
            if (!problems.isEmpty()) {
                throw new RuleCompilationException(problems);
            }
            return ((InternalKieModule) builder.getKieModule()).getBytes();
        } finally {
            // the global repository must not accumulate one module per (re)load
            ks.getRepository().removeKieModule(releaseId);
        }
    }

    /** The kept compile under {@code key} as a rule base, or {@code null} when there is none or it does not load. */
    private static KieBase loadKept(CompiledRulesCache cache, String key) {
        byte[] kjar = cache.read(key);
        if (kjar == null) {
            return null;
        }
        try {
            return kieBaseOf(kjar);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("compiled rules kept in {} do not load ({}); compiling the rule files again", cache.directory(),
                    e.toString());
            cache.forget(key);
            return null;
        }
    }

    /**
     * The rule base of a module built by {@link #build}: its executable model classes loaded from the jar bytes, by a
     * class loader of their own whose parent sees the fact classes, and assembled by Drools without compiling
     * anything. A fresh compile and a kept one become rule bases the same way.
     */
    static KieBase kieBaseOf(byte[] kjar) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(kjar))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!entry.isDirectory()) {
                    entries.put(entry.getName(), zip.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("compiled rules are not a readable jar", e);
        }
        byte[] modelList = entries.get(MODEL_LIST);
        if (modelList == null) {
            throw new IllegalStateException("compiled rules without " + MODEL_LIST);
        }
        ModuleClassLoader loader = new ModuleClassLoader(entries, RuleCompiler.class.getClassLoader());
        List<Model> models = new ArrayList<>();
        for (String line : new String(modelList, StandardCharsets.UTF_8).split("\\R")) {
            String className = line.strip();
            if (className.isEmpty() || className.startsWith(MODEL_VERSION_PREFIX)) {
                continue;
            }
            try {
                models.add((Model) loader.loadClass(className).getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("compiled rules: model class " + className + " does not load", e);
            }
        }
        if (models.isEmpty()) {
            throw new IllegalStateException("compiled rules name no model class in " + MODEL_LIST);
        }
        return KieBaseBuilder.createKieBaseFromModel(models);
    }

    /** Defines the classes of a compiled rule module from its jar entries. */
    private static final class ModuleClassLoader extends ClassLoader {
        private final Map<String, byte[]> entries;

        ModuleClassLoader(Map<String, byte[]> entries, ClassLoader parent) {
            super(parent);
            this.entries = entries;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = entries.get(name.replace('.', '/') + ".class");
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    /**
     * Checks that every rule has an {@code @id}, that its name starts with that id (then a space, or nothing else),
     * and that no two rules share an id, whichever files they are in. Fills {@code idsByName} and {@code nameById}
     * with the rules that have an unshared id. Rules are checked in file and line order, so a duplicate is reported
     * at its later declaration and names the earlier one.
     */
    private static List<RuleProblem> checkIds(KieBase kieBase, Map<String, RuleLocation> locations,
            Map<String, String> idsByName, Map<String, String> nameById) {
        List<Rule> rules = new ArrayList<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            rules.addAll(pkg.getRules());
        }
        Function<Rule, RuleLocation> where = rule -> locations.getOrDefault(rule.getName(), RuleLocation.UNKNOWN);
        rules.sort(Comparator.comparing((Rule rule) -> where.apply(rule).file())
                .thenComparingInt(rule -> where.apply(rule).line()).thenComparing(Rule::getName));
        List<RuleProblem> problems = new ArrayList<>();
        for (Rule rule : rules) {
            RuleLocation at = where.apply(rule);
            String name = rule.getName();
            String id = ruleId(rule);
            if (id == null) {
                problems.add(at.problem("rule \"" + name + "\" has no @id(\"...\") metadata"));
                continue;
            }
            if (!name.equals(id) && !name.startsWith(id + " ")) {
                problems.add(at.problem("rule \"" + name + "\" has @id(\"" + id
                        + "\") but its name does not start with \"" + id + " \""));
            }
            String previous = nameById.putIfAbsent(id, name);
            if (previous != null) {
                RuleLocation first = locations.getOrDefault(previous, RuleLocation.UNKNOWN);
                problems.add(at.problem("rule \"" + name + "\" reuses @id(\"" + id + "\") of rule \"" + previous
                        + "\" (" + first.file() + ":" + first.line() + ")"));
                continue;
            }
            idsByName.put(name, id);
        }
        return problems;
    }

    /** The {@code @id} metadata of a compiled rule (without quotes), or {@code null} when absent or blank. */
    static String ruleId(Rule rule) {
        Object id = rule.getMetaData().get(ID_METADATA);
        if (id == null) {
            return null;
        }
        String text = id.toString().strip();
        // The executable model keeps the DRL literal as written: @id("AUTH-010") arrives as "\"AUTH-010\"".
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        return text.isEmpty() ? null : text;
    }

    /** Reads the rule files, sorted by name. */
    private static Map<String, byte[]> readSources(Path dir) throws RuleCompilationException {
        if (!Files.isDirectory(dir)) {
            throw new RuleCompilationException(List.of(new RuleProblem(dir.toString(), 0, "not a directory")));
        }
        Map<String, byte[]> sources = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(DRL_SUFFIX) && Files.isRegularFile(p)) {
                    sources.put(name, Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new RuleCompilationException(List.of(new RuleProblem(dir.toString(), 0, "cannot read: " + e)));
        }
        if (sources.isEmpty()) {
            throw new RuleCompilationException(List.of(new RuleProblem(dir.toString(), 0, "no *.drl file")));
        }
        return sources;
    }

    private static final String GENERATED_SOURCE_MARKER = "Java source of ";

    /**
     * Turns Drools error messages into problems in the operator's files. Errors in DRL syntax and in conditions
     * come with the .drl path and line. Errors in Java code of a consequence are reported by the executable model
     * against the generated lambda class (e.g. {@code LambdaConsequenceXYZ.java:27}), followed by a message
     * holding that class's source; the offending generated line is looked up in the operator's files instead.
     */
    private static List<RuleProblem> problemsOf(List<Message> errors, Map<String, byte[]> sources) {
        Map<String, String[]> generatedSources = new HashMap<>();
        for (Message m : errors) {
            String text = m.getText();
            int body = text.indexOf('\n');
            if (text.startsWith(GENERATED_SOURCE_MARKER) && body > 0 && m.getPath() != null) {
                generatedSources.put(m.getPath(), text.substring(body + 1).split("\r?\n", -1));
            }
        }
        List<RuleProblem> problems = new ArrayList<>();
        for (Message m : errors) {
            String text = withoutStackTrace(m.getText());
            String path = m.getPath();
            int line = Math.max(0, m.getLine());
            if (text.startsWith(GENERATED_SOURCE_MARKER) && path != null && generatedSources.containsKey(path)) {
                continue; // only carries the generated source, used below
            }
            String[] generated = path == null ? null : generatedSources.get(path);
            String file = operatorFileName(path);
            Matcher consequence = CONSEQUENCE_PARSE_ERROR.matcher(text);
            if (generated != null && line >= 1 && line <= generated.length) {
                String code = generated[line - 1].strip();
                RuleLocation where = locateGeneratedLine(code, sources);
                problems.add(new RuleProblem(where.file(), where.line(),
                        withoutGeneratedClass(text) + idInConsequenceHint(text) + " [generated code: " + code + "]"));
            } else if (consequence.matches()) {
                problems.add(consequenceParseError(file, line, consequence, sources.get(file)));
            } else if (line == 0 && sources.containsKey(file)) {
                problems.add(new RuleProblem(file, lineOfExpression(text, sources.get(file)), text));
            } else {
                problems.add(new RuleProblem(file, line, text));
            }
        }
        return withoutFollowUps(problems);
    }

    /**
     * The Java parser's complaint about a consequence ({@code Unable to parse consequence caused by: (line 2,col 62)
     * Parse error. Found ";", expected one of ...}) comes with the line of the rule's header and a line inside the
     * consequence; the operator needs the line of the statement: the consequence starts right after {@code then}.
     * A list of more than a few expected tokens is left out.
     */
    private static RuleProblem consequenceParseError(String file, int ruleLine, Matcher error, byte[] source) {
        int inConsequence = Integer.parseInt(error.group(1));
        // the column is left out: it counts in the consequence as Drools rewrote it, not as the operator wrote it
        String what = error.group(2).strip();
        Matcher expected = EXPECTED_TOKENS.matcher(what);
        if (expected.find() && expected.group(1).split("\\s+\"").length > MAX_EXPECTED_TOKENS) {
            what = what.substring(0, expected.start()); // a list of every Java token says nothing
        }
        String message = "cannot parse the consequence: " + what;
        if (source == null || ruleLine <= 0) {
            return new RuleProblem(file, ruleLine, message);
        }
        String[] lines = new String(source, StandardCharsets.UTF_8).split("\r?\n|\r", -1);
        for (int i = ruleLine - 1; i < lines.length; i++) {
            if (THEN.matcher(lines[i]).find()) {
                return new RuleProblem(file, i + inConsequence, message);
            }
        }
        return new RuleProblem(file, ruleLine, message);
    }

    /**
     * Where an error the executable model reports without a line ({@code Unable to Analyse Expression identity ==
     * $nosuch:}, {@code Unable to find class: KnownSubscriberX}) is: the first line of the file holding the
     * expression or name it quotes, ignoring white space and comments; 0 when it quotes none or none is found.
     */
    static int lineOfExpression(String text, byte[] source) {
        int colon = text.lastIndexOf(": ");
        if (colon < 0) {
            return 0;
        }
        String quoted = normalizeCode(text.substring(colon + 2).replaceAll("[:!.]+$", ""));
        if (quoted.length() < 3) {
            return 0;
        }
        String[] lines = new String(source, StandardCharsets.UTF_8).split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("import ") && normalizeCode(line).contains(quoted)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Drools appends the parser's stack trace to some messages; the operator needs the first part only. */
    static String withoutStackTrace(String text) {
        int trace = text.indexOf(STACK_TRACE_MARKER);
        return (trace >= 0 ? text.substring(0, trace) : text).strip();
    }

    /** "... undefined for the type LambdaConsequenceFF38F2..." names a class the operator never wrote. */
    private static String withoutGeneratedClass(String text) {
        return GENERATED_CLASS.matcher(text).replaceAll("in the consequence");
    }

    /**
     * A rule file written for the earlier form, where a consequence repeated its rule's id
     * ({@code new Denial("AUTH-030", 403, "...")}), fails on the constructor; say what to write instead.
     */
    static String idInConsequenceHint(String compilerText) {
        if (!OLD_ID_CONSTRUCTOR.matcher(compilerText).find()) {
            return "";
        }
        return " (a decision no longer names its rule id: the id is the rule's @id, so write for example"
                + " new Denial( 403, \"...\" ), new Permit(), new Route( Destination.X ), new ServiceChoice( \"SMS\" ))";
    }

    /** Finds the operator's line a generated consequence line came from, ignoring white space and "drools.". */
    private static RuleLocation locateGeneratedLine(String generatedLine, Map<String, byte[]> sources) {
        String wanted = normalizeCode(generatedLine.replace("drools.", ""));
        if (wanted.length() < 4) {
            return RuleLocation.UNKNOWN;
        }
        RuleLocation partial = null;
        for (Map.Entry<String, byte[]> e : sources.entrySet()) {
            String[] lines = new String(e.getValue(), StandardCharsets.UTF_8).split("\r?\n|\r", -1);
            for (int i = 0; i < lines.length; i++) {
                String candidate = normalizeCode(lines[i]);
                if (candidate.equals(wanted)) {
                    return new RuleLocation(e.getKey(), i + 1);
                }
                if (partial == null && candidate.length() >= 4 && candidate.contains(wanted)) {
                    partial = new RuleLocation(e.getKey(), i + 1);
                }
            }
        }
        return partial != null ? partial : RuleLocation.UNKNOWN;
    }

    private static String normalizeCode(String code) {
        int comment = code.indexOf("//");
        String withoutComment = comment >= 0 ? code.substring(0, comment) : code;
        return withoutComment.replaceAll("\\s+", "");
    }

    /**
     * After a parse error Drools adds "Parser returned a null Package" (line 0) for the same file; it says nothing
     * the located error does not, so it is dropped when that file has a located problem.
     */
    private static List<RuleProblem> withoutFollowUps(List<RuleProblem> problems) {
        List<RuleProblem> kept = new ArrayList<>();
        for (RuleProblem p : problems) {
            boolean followUp = p.line() == 0 && p.message().contains("Parser returned a null Package")
                    && problems.stream().anyMatch(o -> o.line() > 0 && o.file().equals(p.file()));
            if (!followUp) {
                kept.add(p);
            }
        }
        return kept;
    }

    static String hash(Map<String, byte[]> sortedSources) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : sortedSources.entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.getValue());
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Maps a KieFileSystem path (or whatever Drools reports) back to the operator's file name. */
    static String operatorFileName(String kiePath) {
        if (kiePath == null || kiePath.isBlank()) {
            return "";
        }
        String p = kiePath.replace('\\', '/');
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private record RuleLocation(String file, int line) {
        static final RuleLocation UNKNOWN = new RuleLocation("", 0);

        RuleProblem problem(String message) {
            return new RuleProblem(file, line, message);
        }
    }

    /** Where each rule is declared (by name), found by scanning the text; only used for problem reports. */
    private static Map<String, RuleLocation> locateRules(Map<String, byte[]> sources) {
        Map<String, RuleLocation> locations = new LinkedHashMap<>();
        sources.forEach((file, bytes) -> {
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n|\r", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = RULE_DECLARATION.matcher(lines[i]);
                if (m.find()) {
                    String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                    locations.putIfAbsent(name, new RuleLocation(file, i + 1));
                }
            }
        });
        return locations;
    }
}
