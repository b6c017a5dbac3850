package org.cpmrouter.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of a rules directory into a {@link PolicyEngine}.
 *
 * <p>{@link #start()} watches the directory (java.nio {@link WatchService}, daemon thread {@value #THREAD_NAME}).
 * A create, modify or delete of a {@code *.drl} file schedules a reload once the directory has been quiet for
 * the debounce time; every further event restarts that wait, so an editor saving several files (or writing one
 * file in several steps) causes one reload.
 *
 * <p>{@link #reload(String)} compiles all files into a candidate: one with errors is REFUSED (the running rules
 * stay, every problem is logged as {@code file:line: message}); one with the running hash is UNCHANGED;
 * otherwise it replaces the running rules atomically ({@link PolicyEngine#replace}): decisions in flight finish
 * on the rules they started with. Reloads run one at a time, whoever triggers them.
 */
public final class RuleReloader implements AutoCloseable {

    /** Name of the watching thread. */
    public static final String THREAD_NAME = "cpm-rules-watch";

    private static final Logger LOG = LoggerFactory.getLogger(RuleReloader.class);

    /**
     * One reload attempt.
     *
     * @param outcome       what happened
     * @param trigger       who asked: {@code "watch: a.drl, b.drl"} for the watcher, the caller's text otherwise
     * @param at            when the attempt ended ({@code null} for {@link Outcome#NONE})
     * @param activeHash    hash of the rules in force after the attempt
     * @param candidateHash hash of the compiled candidate; {@code null} when refused (or none)
     * @param problems      why the candidate was refused; empty otherwise
     * @param compileMillis how long compiling the candidate took
     */
    public record ReloadStatus(Outcome outcome, String trigger, Instant at, String activeHash, String candidateHash,
                               List<RuleProblem> problems, long compileMillis) {

        public ReloadStatus {
            Objects.requireNonNull(outcome, "outcome");
            problems = problems == null ? List.of() : List.copyOf(problems);
        }

        /** What a reload attempt did. */
        public enum Outcome {
            /** No reload was attempted yet. */
            NONE,
            /** The candidate compiled and is now in force. */
            LOADED,
            /** The candidate compiled to the rules already in force; nothing changed. */
            UNCHANGED,
            /** The candidate did not compile; the running rules stay in force. */
            REFUSED
        }
    }

    private final PolicyEngine engine;
    private final Path rulesDir;
    private final Path compiledRulesDir;
    private final Duration debounce;
    private final ReentrantLock reloading = new ReentrantLock();
    private final AtomicReference<CompletableFuture<ReloadStatus>> next =
            new AtomicReference<>(new CompletableFuture<>());
    private final AtomicLong attempts = new AtomicLong();
    private volatile ReloadStatus status;
    private volatile WatchService watchService;
    private volatile Thread watcher;
    private volatile boolean closed;
    private final List<Consumer<ReloadStatus>> listeners = new CopyOnWriteArrayList<>();

    public RuleReloader(PolicyEngine engine, Path rulesDir, Duration debounce) {
        this(engine, rulesDir, debounce, null);
    }

    /**
     * As {@link #RuleReloader(PolicyEngine, Path, Duration)}, with each reload's compile kept in and taken from
     * {@code compiledRulesDir} as a start keeps it ({@link RuleCompiler#compile(Path, Path)}; {@code null}: none
     * kept), so that a restart after a reload, or a reload back to rules compiled before, does not compile again.
     */
    public RuleReloader(PolicyEngine engine, Path rulesDir, Duration debounce, Path compiledRulesDir) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.rulesDir = Objects.requireNonNull(rulesDir, "rulesDir").toAbsolutePath().normalize();
        this.compiledRulesDir = compiledRulesDir;
        this.debounce = Objects.requireNonNull(debounce, "debounce");
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce must not be negative: " + debounce);
        }
        this.status = new ReloadStatus(ReloadStatus.Outcome.NONE, null, null, engine.current().hash(), null,
                List.of(), 0);
    }

    /**
     * Starts watching the rules directory. Idempotent.
     *
     * @throws UncheckedIOException when the directory cannot be watched
     * @throws IllegalStateException when closed
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (watcher != null) {
            return;
        }
        WatchService ws;
        try {
            ws = FileSystems.getDefault().newWatchService();
            rulesDir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch rules directory " + rulesDir, e);
        }
        watchService = ws;
        Thread t = new Thread(() -> watch(ws), THREAD_NAME);
        t.setDaemon(true);
        watcher = t;
        t.start();
        LOG.info("watching rules dir={} for *.drl changes (reload after {} ms quiet)", rulesDir, debounce.toMillis());
    }

    /**
     * Tells {@code listener} about every reload attempt from now on, when it ends (for metrics), on the reloading
     * thread; a listener that throws is logged and changes nothing.
     */
    public void addListener(Consumer<ReloadStatus> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The last reload attempt ({@link ReloadStatus.Outcome#NONE} before any). */
    public ReloadStatus status() {
        return status;
    }

    /** Completes with the status of the next reload attempt to end, whatever its outcome and trigger. */
    public CompletableFuture<ReloadStatus> nextReload() {
        return next.get();
    }

    /** The watching thread, or {@code null} before {@link #start()} (for tests). */
    Thread watcherThread() {
        return watcher;
    }

    /** Number of reload attempts so far (for tests and metrics). */
    long attempts() {
        return attempts.get();
    }

    /**
     * Compiles the rules directory and, when it compiled to different rules, makes it the engine's rule set.
     * Waits for a reload in progress to end first.
     *
     * @param trigger who asks, for the log and the status (e.g. "admin API")
     */
    public ReloadStatus reload(String trigger) {
        reloading.lock();
        try {
            ReloadStatus result = attempt(trigger);
            status = result;
            attempts.incrementAndGet();
            for (Consumer<ReloadStatus> listener : listeners) {
                try {
                    listener.accept(result);
                } catch (RuntimeException e) {
                    LOG.warn("rules reload listener {} failed: {}", listener, e.toString());
                }
            }
            next.getAndSet(new CompletableFuture<>()).complete(result);
            return result;
        } finally {
            reloading.unlock();
        }
    }

    private ReloadStatus attempt(String trigger) {
        String running = engine.current().hash();
        long started = System.nanoTime();
        RuleSet candidate;
        try {
            candidate = RuleCompiler.compile(rulesDir, compiledRulesDir);
        } catch (RuleCompilationException e) {
            return refused(trigger, running, e.problems(), millisSince(started));
        } catch (RuntimeException | LinkageError e) {
            // Drools itself failed; treat as a broken candidate, never as a reason to drop the running rules
            LOG.error("rules reload: the rule compiler failed: {}", e.toString());
            LOG.debug("rules reload: the rule compiler's failure", e);
            return refused(trigger, running, List.of(new RuleProblem("", 0, "compiler failed: " + e)),
                    millisSince(started));
        }
        long compileMillis = millisSince(started);
        if (candidate.hash().equals(running)) {
            LOG.info("rules reload UNCHANGED ruleset={} trigger=\"{}\" compile={} ms", running, trigger, compileMillis);
            return new ReloadStatus(ReloadStatus.Outcome.UNCHANGED, trigger, Instant.now(), running, candidate.hash(),
                    List.of(), compileMillis);
        }
        engine.replace(candidate);
        LOG.info("rules reload LOADED ruleset {} -> {} rules={} trigger=\"{}\" compile={} ms", running,
                candidate.hash(), candidate.ruleIds().size(), trigger, compileMillis);
        return new ReloadStatus(ReloadStatus.Outcome.LOADED, trigger, Instant.now(), candidate.hash(),
                candidate.hash(), List.of(), compileMillis);
    }

    private ReloadStatus refused(String trigger, String running, List<RuleProblem> problems, long compileMillis) {
        LOG.error("rules reload REFUSED trigger=\"{}\": {} problem(s); ruleset {} stays in force", trigger,
                problems.size(), running);
        for (RuleProblem p : problems) {
            LOG.error("rules refused: {}", p.describeIn(rulesDir)); // one line each: file:line: message
        }
        return new ReloadStatus(ReloadStatus.Outcome.REFUSED, trigger, Instant.now(), running, null, problems,
                compileMillis);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The watching loop: collects *.drl events until the directory is quiet for the debounce time, then reloads. */
    private void watch(WatchService ws) {
        Set<String> changed = new TreeSet<>();
        long quietAt = 0; // System.nanoTime() when the pending reload is due; meaningful when changed is non-empty
        try {
            while (!closed) {
                WatchKey key;
                if (changed.isEmpty()) {
                    key = ws.take();
                } else {
                    long wait = quietAt - System.nanoTime();
                    key = wait > 0 ? ws.poll(wait, TimeUnit.NANOSECONDS) : ws.poll();
                }
                if (key == null) {
                    String trigger = "watch: " + String.join(", ", changed);
                    changed.clear();
                    reloadFromWatcher(trigger);
                    continue;
                }
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        changed.add("(events lost)");
                        relevant = true;
                    } else if (event.context() instanceof Path p && p.toString().endsWith(RuleCompiler.DRL_SUFFIX)) {
                        changed.add(p.toString());
                        relevant = true;
                    }
                }
                if (relevant) {
                    quietAt = System.nanoTime() + debounce.toNanos(); // every new event restarts the wait
                }
                if (!key.reset()) {
                    LOG.error("rules dir={} can no longer be watched (deleted or unmounted); live reload stopped",
                            rulesDir);
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        } catch (RuntimeException e) {
            LOG.error("rules watcher failed; live reload stopped", e);
        }
    }

    private void reloadFromWatcher(String trigger) {
        try {
            reload(trigger);
        } catch (RuntimeException e) {
            LOG.error("rules reload failed (trigger \"{}\")", trigger, e);
        }
    }

    /** Stops watching (a reload in progress finishes). Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        WatchService ws = watchService;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                LOG.warn("closing the rules watcher: {}", e.toString());
            }
        }
        // no interrupt: closing the WatchService wakes the watcher, and an interrupt could break a compile's file
        // reads (interruptible channels) in progress
    }
}
