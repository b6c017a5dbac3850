package org.cpmrouter.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as an operator gets it: unpacked into an empty folder, far from the build tree, its
 * {@code bin/cpm-router --sip-port N --data-dir DIR} starts from {@code lib/} with its own {@code config/} and
 * {@code rules/}, answers an {@code OPTIONS} over UDP on 127.0.0.1 with {@code 200}, is ready on
 * {@code /health/ready}, and exits 0 on SIGTERM.
 */
class DistributionIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path unpacked;

    @TempDir
    Path dataDir;

    @Test
    void should_start_from_an_unpacked_archive_and_answer_options_with_200() throws Exception {
        Path archive = Path.of(System.getProperty("cpm.dist.archive", "target/cpm-router-0.1.0-SNAPSHOT.tar.gz"));
        assertTrue(Files.isRegularFile(archive), "the archive is built in the package phase: " + archive);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C",
                unpacked.toString()).redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Path home;
        try (var top = Files.list(unpacked)) {
            home = top.findFirst().orElseThrow();
        }
        for (String part : List.of("bin/cpm-router", "bin/cpm-router-cds", "bin/cpm-admin",
                "config/application.properties", "config/systemd/cpm-router.service", "config/grafana/cpm-router.json",
                "rules/authorization.drl", "docs/metrics.md", "README.md")) {
            assertTrue(Files.exists(home.resolve(part)), part + " in " + home);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/cpm-router")));
        assertTrue(Files.isExecutable(home.resolve("bin/cpm-router-cds")));
        try (var jars = Files.list(home.resolve("lib"))) {
            assertTrue(jars.anyMatch(j -> j.getFileName().toString().startsWith("cpm-routes-")), "lib/ has the router");
        }

        int sipPort = freePort();
        int adminPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/cpm-router").toString(),
                "--sip-port", Integer.toString(sipPort), "--admin-port", Integer.toString(adminPort),
                "--data-dir", dataDir.toString());
        builder.directory(unpacked.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CPM_") || name.equals("JAVA_OPTS"));
        // the embedded SMSC test peer must not take the fixed SMPP port of another router of this host
        builder.environment().put("CPM_SMSC_PORT", Integer.toString(freePort()));
        builder.environment().put("CPM_SIP_TLS_PORT", Integer.toString(freePort()));
        long started = System.nanoTime();
        Process router = builder.start();
        List<String> output = new ArrayList<>();
        try {
            String ready = awaitLine(router, "CPM Router ready", output, Duration.ofSeconds(120));
            assertTrue(ready != null, "the router did not start:\n" + String.join("\n", output));
            System.out.printf("distribution started in %d ms: %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), ready);
            assertTrue(ready.contains("rules") && ready.contains(home.resolve("rules").toString()), ready);

            String answer = options(sipPort);
            assertTrue(answer.startsWith("SIP/2.0 200"), answer);

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());

            router.toHandle().destroy(); // SIGTERM: drains, then exits 0
            assertTrue(router.waitFor(60, TimeUnit.SECONDS), "still running after SIGTERM");
            assertEquals(0, router.exitValue(), String.join("\n", output));
        } finally {
            if (router.isAlive()) {
                router.destroyForcibly();
                router.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends an OPTIONS over UDP from 127.0.0.1 and returns the first response's text. */
    private static String options(int sipPort) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(2000);
            String callId = UUID.randomUUID() + "@127.0.0.1";
            String request = "OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-" + UUID.randomUUID()
                    + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=dist-it\r\n"
                    + "To: <sip:127.0.0.1:" + sipPort + ">\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
            byte[] buffer = new byte[8192];
            for (int attempt = 0; attempt < 5; attempt++) { // UDP: send again when nothing came back
                socket.send(new DatagramPacket(bytes, bytes.length, LOOPBACK, sipPort));
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                } catch (SocketTimeoutException e) {
                    // retransmit
                }
            }
            return "(no answer from 127.0.0.1:" + sipPort + ")";
        }
    }

    /** Reads the process's output until a line contains {@code text}; that line, or null at the end or the time. */
    private static String awaitLine(Process process, String text, List<String> seen, Duration timeout)
            throws InterruptedException {
        String[] found = new String[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (seen) {
                        seen.add(line);
                        if (found[0] == null && line.contains(text)) {
                            found[0] = line;
                            seen.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            synchronized (seen) {
                seen.notifyAll();
            }
        }, "dist-router-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (found[0] == null && reader.isAlive()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                seen.wait(left);
            }
            return found[0];
        }
    }

    /** A port free on 127.0.0.1 for TCP and UDP right now. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
                candidate = tcp.getLocalPort();
            }
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, candidate))) {
                return candidate;
            } catch (IOException taken) {
                // taken on UDP: try another
            }
        }
        throw new IOException("no free port on 127.0.0.1");
    }
}
