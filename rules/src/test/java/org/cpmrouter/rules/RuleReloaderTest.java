package org.cpmrouter.rules;

import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.BOB;
import static org.cpmrouter.rules.TestRules.message;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.cpmrouter.rules.RuleReloader.ReloadStatus;
import org.cpmrouter.rules.RuleReloader.ReloadStatus.Outcome;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Live reload on a temporary copy of the shipped rule files. Waits on {@link RuleReloader#nextReload()}. */
class RuleReloaderTest {

    private static final org.slf4j.Logger TEST_LOG = LoggerFactory.getLogger(RuleReloaderTest.class);
    private static final Duration DEBOUNCE = Duration.ofMillis(200);
    private static final long WAIT_SECONDS = 30; // generous: a first Drools compile on a slow CI machine

    @TempDir
    Path dir;

    private RuleSet initial;
    private PolicyEngine engine;
    private RuleReloader reloader;
    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void copyShippedRules() throws RuleCompilationException {
        TestRules.copyShipped(dir);
        initial = RuleCompiler.compile(dir);
        engine = new PolicyEngine(initial, List.of());
        reloader = new RuleReloader(engine, dir, DEBOUNCE);
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(RuleReloader.class)).addAppender(log);
    }

    @AfterEach
    void stop() {
        reloader.close();
        ((Logger) LoggerFactory.getLogger(RuleReloader.class)).detachAppender(log);
    }

    private Decision bobSends() {
        return engine.decide(message(Stage.ORIGINATING_AUTHORIZATION, BOB, ALICE),
                List.of(new KnownSubscriber(BOB, Party.SENDER, true, false)));
    }

    private static ReloadStatus await(CompletableFuture<ReloadStatus> reload) throws Exception {
        return reload.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void should_report_none_and_the_running_hash_when_nothing_was_reloaded_yet() {
        ReloadStatus s = reloader.status();
        assertEquals(Outcome.NONE, s.outcome());
        assertEquals(initial.hash(), s.activeHash());
        assertNull(s.candidateHash());
        assertEquals(List.of(), s.problems());
        assertFalse(reloader.nextReload().isDone());
    }

    @Test
    void should_make_a_new_rule_file_live_when_it_is_saved_in_the_watched_directory() throws Exception {
        reloader.start();
        Thread watcher = reloader.watcherThread();
        assertEquals(RuleReloader.THREAD_NAME, watcher.getName());
        assertTrue(watcher.isDaemon());
        Decision before = bobSends();
        assertEquals(Verdict.PERMIT, before.verdict(), before::toString);
        assertEquals("AUTH-090", before.decidingRuleId());

        CompletableFuture<ReloadStatus> reloaded = reloader.nextReload();
        long saved = System.nanoTime();
        DrlFixtures.copy("bar-bob.drl", dir, "operator-bars.drl");
        ReloadStatus s = await(reloaded);
        long latencyMillis = (System.nanoTime() - saved) / 1_000_000;
        TEST_LOG.info("reload latency: save -> reload done {} ms (debounce {} ms, compile {} ms)", latencyMillis,
                DEBOUNCE.toMillis(), s.compileMillis());

        assertEquals(Outcome.LOADED, s.outcome(), s::toString);
        assertEquals("watch: operator-bars.drl", s.trigger());
        assertNotEquals(initial.hash(), s.activeHash());
        assertEquals(s.activeHash(), s.candidateHash());
        assertEquals(s.activeHash(), engine.current().hash());
        assertTrue(engine.current().ruleIds().contains("BAR-001"));
        assertSame(s, reloader.status());

        Decision after = bobSends();
        assertAll(
                () -> assertEquals(Verdict.DENY, after.verdict(), after::toString),
                () -> assertEquals(403, after.status()),
                () -> assertEquals("BAR-001", after.decidingRuleId()),
                () -> assertEquals(s.activeHash(), after.ruleSetHash()));
        String loaded = infoLines().stream().filter(l -> l.contains("LOADED")).findFirst().orElseThrow();
        assertTrue(loaded.contains(initial.hash() + " -> " + s.activeHash())
                && loaded.contains("rules=" + (initial.ruleIds().size() + 1))
                && loaded.contains("operator-bars.drl") && loaded.contains(" ms"), loaded);

        // deleting the file is a change too: back to the shipped rules
        CompletableFuture<ReloadStatus> removed = reloader.nextReload();
        Files.delete(dir.resolve("operator-bars.drl"));
        ReloadStatus back = await(removed);
        assertEquals(Outcome.LOADED, back.outcome(), back::toString);
        assertEquals(initial.hash(), back.activeHash());
        assertEquals("AUTH-090", bobSends().decidingRuleId());
    }

    @Test
    void should_refuse_and_keep_running_rules_when_a_saved_file_has_a_syntax_error() throws Exception {
        reloader.start();
        Path file = dir.resolve("authorization.drl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int index = lines.indexOf("    MessageContext( stage == Stage.TERMINATING_AUTHORIZATION, $target : target )");
        assertTrue(index > 0);
        lines.set(index, "    MessageContext( stage === Stage.TERMINATING_AUTHORIZATION, $target : target )");

        CompletableFuture<ReloadStatus> reloaded = reloader.nextReload();
        Files.write(file, lines);
        ReloadStatus s = await(reloaded);

        assertEquals(Outcome.REFUSED, s.outcome(), s::toString);
        assertNull(s.candidateHash());
        assertEquals(initial.hash(), s.activeHash());
        assertFalse(s.problems().isEmpty());
        RuleProblem first = s.problems().get(0);
        assertEquals("authorization.drl", first.file(), s::toString);
        assertEquals(index + 1, first.line(), s::toString);
        assertSame(initial, engine.current());
        assertEquals(initial.hash(), bobSends().ruleSetHash());

        List<String> errors = log.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList();
        // a summary, then one line per problem naming the file in the rules directory: file:line: message
        assertEquals(1 + s.problems().size(), errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("ruleset " + initial.hash() + " stays in force"), errors.get(0));
        assertTrue(errors.get(1).endsWith(dir.toAbsolutePath().normalize().resolve("authorization.drl") + ":"
                + (index + 1) + ": " + first.message()), errors.get(1));
        for (int i = 0; i < s.problems().size(); i++) {
            assertTrue(errors.get(i + 1).contains(s.problems().get(i).message()), errors.get(i + 1));
            assertFalse(errors.get(i + 1).contains("\n"), errors.get(i + 1));
        }
    }

    @Test
    void should_reload_once_when_three_writes_follow_each_other_quickly() throws Exception {
        reloader.start();
        Path file = dir.resolve("recipient-delivery.drl");
        String original = Files.readString(file);

        CompletableFuture<ReloadStatus> reloaded = reloader.nextReload();
        for (int i = 1; i <= 3; i++) {
            Files.writeString(file, original + "\n// operator's note " + i + "\n");
        }
        ReloadStatus s = await(reloaded);
        assertEquals(Outcome.LOADED, s.outcome(), s::toString);
        assertEquals("watch: recipient-delivery.drl", s.trigger());
        // the reload saw the last write
        assertTrue(Files.readString(file).endsWith("note 3\n"));
        assertEquals(RuleCompiler.compile(dir).hash(), s.activeHash());

        // no second reload follows: nothing completes within several debounce periods
        CompletableFuture<ReloadStatus> another = reloader.nextReload();
        assertThrows(TimeoutException.class, () -> another.get(DEBOUNCE.toMillis() * 5, TimeUnit.MILLISECONDS),
                () -> "a second reload: " + another.join());
        assertEquals(1, reloader.attempts());
    }

    @Test
    void should_ignore_files_that_are_not_rule_files_when_they_change() throws Exception {
        reloader.start();
        CompletableFuture<ReloadStatus> reloaded = reloader.nextReload();
        Files.writeString(dir.resolve("notes.txt"), "not a rule");
        Files.writeString(dir.resolve(".authorization.drl.swp"), "editor swap file");
        assertThrows(TimeoutException.class, () -> reloaded.get(DEBOUNCE.toMillis() * 5, TimeUnit.MILLISECONDS));
        assertEquals(0, reloader.attempts());
    }

    @Test
    void should_keep_each_reloaded_compile_so_that_a_reload_back_to_it_loads_it_instead_of_compiling(
            @TempDir Path compiledRulesDir) throws Exception {
        reloader.close();
        reloader = new RuleReloader(engine, dir, DEBOUNCE, compiledRulesDir);
        ListAppender<ILoggingEvent> compilerLog = new ListAppender<>();
        compilerLog.start();
        Logger compiler = (Logger) LoggerFactory.getLogger(RuleCompiler.class);
        compiler.addAppender(compilerLog);
        try {
            DrlFixtures.copy("bar-bob.drl", dir, "operator-bars.drl");
            ReloadStatus barred = reloader.reload("admin API");
            Files.delete(dir.resolve("operator-bars.drl"));
            ReloadStatus shipped = reloader.reload("admin API");
            assertEquals(2, keptCompiles(compiledRulesDir), "one kept compile per rule set");

            DrlFixtures.copy("bar-bob.drl", dir, "operator-bars.drl");
            ReloadStatus barredAgain = reloader.reload("admin API");
            assertAll(
                    () -> assertEquals(Outcome.LOADED, barred.outcome(), barred::toString),
                    () -> assertEquals(Outcome.LOADED, shipped.outcome(), shipped::toString),
                    () -> assertEquals(Outcome.LOADED, barredAgain.outcome(), barredAgain::toString),
                    () -> assertEquals(barred.activeHash(), barredAgain.activeHash()),
                    () -> assertEquals("BAR-001", bobSends().decidingRuleId()),
                    () -> assertEquals(2, keptCompiles(compiledRulesDir), "the kept compile was used, not a new one"));
            List<String> lines = compilerLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(l -> l.contains(" rules dir=")).toList();
            assertEquals(3, lines.size(), lines::toString);
            assertTrue(lines.get(0).startsWith("compiled rules") && lines.get(1).startsWith("compiled rules")
                    && lines.get(2).startsWith("loaded compiled rules"), lines::toString);
        } finally {
            compiler.detachAppender(compilerLog);
        }
    }

    private static long keptCompiles(Path compiledRulesDir) throws IOException {
        try (Stream<Path> files = Files.list(compiledRulesDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".kjar")).count();
        }
    }

    @Test
    void should_report_unchanged_when_an_explicit_reload_finds_the_same_files() throws Exception {
        CompletableFuture<ReloadStatus> next = reloader.nextReload();
        ReloadStatus s = reloader.reload("admin API");
        assertAll(
                () -> assertEquals(Outcome.UNCHANGED, s.outcome()),
                () -> assertEquals("admin API", s.trigger()),
                () -> assertEquals(initial.hash(), s.activeHash()),
                () -> assertEquals(initial.hash(), s.candidateHash()),
                () -> assertEquals(List.of(), s.problems()),
                () -> assertTrue(s.at() != null),
                () -> assertSame(s, reloader.status()),
                () -> assertSame(s, next.getNow(null)),
                () -> assertSame(initial, engine.current(), "the running rule set is kept, not swapped"));
    }

    @Test
    void should_serialize_reloads_when_two_are_asked_for_at_once() throws Exception {
        DrlFixtures.copy("bar-bob.drl", dir, "operator-bars.drl");
        CompletableFuture<ReloadStatus> a = CompletableFuture.supplyAsync(() -> reloader.reload("a"));
        CompletableFuture<ReloadStatus> b = CompletableFuture.supplyAsync(() -> reloader.reload("b"));
        List<Outcome> outcomes = List.of(await(a).outcome(), await(b).outcome());
        // one after the other: the second finds the first one's rules in force
        assertTrue(outcomes.contains(Outcome.LOADED) && outcomes.contains(Outcome.UNCHANGED), outcomes::toString);
        assertEquals(2, reloader.attempts());
    }

    @Test
    void should_stop_watching_when_closed() throws Exception {
        reloader.start();
        Thread watcher = reloader.watcherThread();
        reloader.close();
        watcher.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(watcher.isAlive());

        CompletableFuture<ReloadStatus> reloaded = reloader.nextReload();
        DrlFixtures.copy("bar-bob.drl", dir, "operator-bars.drl");
        assertThrows(TimeoutException.class, () -> reloaded.get(DEBOUNCE.toMillis() * 5, TimeUnit.MILLISECONDS));
        assertSame(initial, engine.current());
        assertThrows(IllegalStateException.class, reloader::start);
    }

    private List<String> infoLines() {
        return log.list.stream().filter(e -> e.getLevel() == Level.INFO).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
