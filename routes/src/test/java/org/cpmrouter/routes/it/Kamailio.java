package org.cpmrouter.routes.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.cpmrouter.sip.UdpProbe;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Kamailio ({@code /usr/sbin/kamailio}, installed by {@code .ci/run}) in front of routers, as the tests
 * that need a real one start it: one of the shipped example configurations, UDP on 127.0.0.1, its log and pid file
 * in a directory of the test's, started once it answers an {@code OPTIONS}.
 */
final class Kamailio {

    private static final Path BINARY = Path.of("/usr/sbin/kamailio");

    private Kamailio() {
    }

    /** Skips the test where Kamailio is not installed; on CI (the {@code CI} variable set) fails it instead. */
    static void requireInstalled() {
        boolean have = Files.isExecutable(BINARY);
        if (!have && System.getenv("CI") != null) {
            throw new IllegalStateException("Kamailio (/usr/sbin/kamailio) is missing on CI: .ci/run must install it");
        }
        Assumptions.assumeTrue(have, "Kamailio is not installed (apt-get install -y kamailio)");
    }

    /**
     * Starts {@code config/examples/<example>} on 127.0.0.1:port with these {@code -A} defines, and waits until it
     * answers an OPTIONS (at most 20 s).
     */
    static Process start(String example, Path dir, int port, String... defines) throws IOException {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                "-f", RouterFixture.home().resolve("config/examples").resolve(example).toString(), "-DD", "-E",
                "-l", "udp:127.0.0.1:" + port));
        for (String define : defines) {
            command.add("-A");
            command.add(define);
        }
        command.addAll(List.of("-P", dir.resolve("kamailio.pid").toString(), "-Y", dir.toString(), "-m", "64",
                "-M", "8"));
        Process kamailio = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("kamailio.log").toFile()).start();
        Awaitility.await("Kamailio listening on " + port).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> answersOptions(kamailio, port, dir));
        return kamailio;
    }

    private static boolean answersOptions(Process kamailio, int port, Path dir) throws IOException {
        if (!kamailio.isAlive()) {
            throw new IllegalStateException("Kamailio exited:\n" + log(dir));
        }
        try (UdpProbe probe = new UdpProbe()) {
            probe.setTimeout(500);
            String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.port() + ";branch=z9hG4bK" + System.nanoTime() + "\n"
                    + "Max-Forwards: 70\nFrom: <sip:probe@127.0.0.1>;tag=1\nTo: <sip:127.0.0.1>\n"
                    + "Call-ID: " + System.nanoTime() + "@127.0.0.1\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n";
            String response = probe.exchange(options, port);
            return response != null && UdpProbe.status(response) == 200;
        }
    }

    /** What Kamailio printed, for a failure message. */
    static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("kamailio.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no Kamailio log: " + e + ")";
        }
    }

    /** Stops it and its children; null (never started) is nothing to stop. */
    static void stop(Process kamailio) throws InterruptedException {
        if (kamailio != null) {
            kamailio.descendants().forEach(ProcessHandle::destroyForcibly);
            kamailio.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
