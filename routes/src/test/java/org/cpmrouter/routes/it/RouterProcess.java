package org.cpmrouter.routes.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.routes.CpmRouterApplication;
import org.cpmrouter.routes.config.RouterConfig;

/**
 * A router in a JVM of its own, started as {@code bin/cpm-router} starts it ({@link CpmRouterApplication} with the
 * shipped {@code config/} and {@code rules/}, settings from the environment), for tests that kill it or signal it.
 * It runs on the test's class path. Its output is kept, and a line of it can be waited for.
 */
final class RouterProcess implements AutoCloseable {

    final int sipPort;
    final int adminPort;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean outputEnded;

    private RouterProcess(Process process, int sipPort, int adminPort) {
        this.process = process;
        this.sipPort = sipPort;
        this.adminPort = adminPort;
        Thread reader = new Thread(this::readOutput, "router-process-output-" + sipPort);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a router on 127.0.0.1:sipPort with its store in dataDir, and waits until it says it is ready. */
    static RouterProcess start(Path dataDir, int sipPort, Map<String, String> settings) throws Exception {
        return start(dataDir, sipPort, settings, List.of());
    }

    /**
     * As {@link #start(Path, int, Map)}, with JVM options (the {@code -Dcpm.cluster.*} properties that
     * {@code config/infinispan-cluster.xml} reads, say).
     */
    static RouterProcess start(Path dataDir, int sipPort, Map<String, String> settings, List<String> jvmOptions)
            throws Exception {
        int adminPort = RouterFixture.freePort();
        Path home = RouterFixture.home();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Djava.net.preferIPv4Stack=true", "-Dcpm.home=" + home,
                "-Dlogback.configurationFile=" + home.resolve("config/logback.xml")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CpmRouterApplication.class.getName(),
                "--sip-port", Integer.toString(sipPort), "--data-dir", dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(home.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CPM_"));
        builder.environment().put(RouterConfig.envName("cpm.admin.port"), Integer.toString(adminPort));
        builder.environment().put(RouterConfig.envName("cpm.startup.warm-up"), "false"); // as RouterFixture's
        settings.forEach((key, value) -> builder.environment().put(RouterConfig.envName(key), value));
        RouterProcess router = new RouterProcess(builder.start(), sipPort, adminPort);
        if (!router.awaitLine("CPM Router ready", Duration.ofSeconds(120))) {
            router.process.destroyForcibly();
            throw new IllegalStateException("router on port " + sipPort + " did not start:\n" + router.output());
        }
        return router;
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        synchronized (lines) {
            outputEnded = true;
            lines.notifyAll();
        }
    }

    /** Waits until a line containing the text has been printed; false when the time is up or the output ended. */
    boolean awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.stream().noneMatch(line -> line.contains(text))) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || outputEnded) {
                    return false;
                }
                lines.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
            return true;
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * SIGKILL: on Linux {@link ProcessHandle#destroyForcibly()} sends SIGKILL (the exit status tells: 128 + 9); the
     * JVM runs no shutdown hook. (The handle, unlike {@link Process#destroyForcibly()}, leaves the output readable.)
     */
    int kill9() throws InterruptedException {
        process.toHandle().destroyForcibly();
        return awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: on Linux {@link ProcessHandle#destroy()} sends SIGTERM, and the router's output stays readable. */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** The exit status (128 + signal for a process a signal ended), or -1 when it is still running. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
