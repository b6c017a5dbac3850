package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router driven by SIPp, a SIP client nobody here wrote. With authentication on (the shipped default): a
 * SIPp-registered bob (a SIPp UAS behind a SIPp REGISTER) and a SIPp alice, both answering the router's digest
 * challenge with SIPp's own digest code, through the whole path with 200 OK; mallory, authenticated, 403; a plain
 * {@code text/plain} MESSAGE from SIPp reaches a SIPp recipient as it was sent. SIPp 3.6 (Debian's) answers MD5 only
 * and takes the first challenge it is given: all of this runs on the shipped defaults, which offer MD5 alone to a
 * request without {@code User-Agent} or with one starting "SIPp". With authentication off: the bench's own
 * scenarios, unchanged, as {@code bench/run.sh} runs them against Kamailio, which does no authentication either.
 * SIPp is Debian's {@code sip-tester}, installed by {@code .ci/run}; on CI a missing SIPp fails the test.
 */
class SippDrivenIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path work;

    private RouterFixture fixture;
    private final List<Process> background = new ArrayList<>();

    @BeforeEach
    void requireSipp() {
        boolean haveSipp = Files.isExecutable(Path.of("/usr/bin/sipp"));
        if (!haveSipp && System.getenv("CI") != null) {
            throw new IllegalStateException("SIPp (/usr/bin/sipp) is missing on CI: .ci/run must install sip-tester");
        }
        Assumptions.assumeTrue(haveSipp, "SIPp is not installed (apt-get install -y sip-tester)");
    }

    @AfterEach
    void stop() {
        background.forEach(Process::destroyForcibly);
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void should_authenticate_sipp_clients_then_take_alice_to_bob_with_200_and_refuse_mallory() throws Exception {
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of());
        int uasPort = RouterFixture.freePort();
        int messages = 20;
        String router = "127.0.0.1:" + fixture.port;
        Process uas = startUas(uasPort, messages);
        registerBob(router, uasPort);

        Process alice = sipp("alice", "-sf", scenario("uac_message_auth.xml"), "-s", "bob", router,
                "-i", "127.0.0.1", "-p", Integer.toString(RouterFixture.freePort()), "-au", "alice", "-ap", "alice-demo",
                "-auth_uri", "bob@" + router, "-key", "from_user", "alice", "-t", "u1",
                "-m", Integer.toString(messages), "-r", "10", "-timeout", "40s", "-timeout_error");
        assertExitsZero(alice, "alice");

        Process mallory = sipp("mallory", "-sf", scenario("uac_message_refused.xml"), "-s", "bob", router,
                "-i", "127.0.0.1", "-p", Integer.toString(RouterFixture.freePort()), "-au", "mallory",
                "-ap", "mallory-demo", "-auth_uri", "bob@" + router, "-key", "from_user", "mallory", "-m", "1",
                "-timeout", "20s", "-timeout_error");
        assertExitsZero(mallory, "mallory");

        assertTrue(uas.waitFor(30, TimeUnit.SECONDS), "bob's UAS did not answer all " + messages + " messages");
        assertEquals(0, uas.exitValue(), log("uas"));
    }

    @Test
    void should_take_a_text_plain_message_from_sipp_to_a_sipp_recipient_unchanged_with_200() throws Exception {
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of());
        int uasPort = RouterFixture.freePort();
        String router = "127.0.0.1:" + fixture.port;
        Process uas = sipp("uas-plain", "-sf", scenario("uas_text_plain.xml"), "-i", "127.0.0.1",
                "-p", Integer.toString(uasPort), "-m", "1", "-timeout", "60s");
        background.add(uas);
        registerBob(router, uasPort);

        Process alice = sipp("alice-plain", "-sf", scenario("uac_text_plain_auth.xml"), "-s", "bob", router,
                "-i", "127.0.0.1", "-p", Integer.toString(RouterFixture.freePort()), "-au", "alice", "-ap", "alice-demo",
                "-auth_uri", "bob@" + router, "-key", "from_user", "alice", "-m", "1", "-timeout", "20s",
                "-timeout_error");
        assertExitsZero(alice, "alice-plain");

        assertTrue(uas.waitFor(30, TimeUnit.SECONDS), "bob's UAS did not answer");
        assertEquals(0, uas.exitValue(), log("uas-plain"));
    }

    @Test
    void should_take_the_bench_scenarios_through_with_200_when_authentication_is_off() throws Exception {
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of("cpm.auth.enabled", "false"));
        int uasPort = RouterFixture.freePort();
        int messages = 20;
        Process uas = startUas(uasPort, messages);

        Process register = sipp("register", "-sf", scenario("register.xml"), "-s", "bob",
                "127.0.0.1:" + fixture.port, "-i", "127.0.0.1", "-p", Integer.toString(RouterFixture.freePort()),
                "-key", "contact_port", Integer.toString(uasPort), "-m", "1", "-timeout", "20s", "-timeout_error");
        assertExitsZero(register, "register");

        Process alice = sipp("alice", "-sf", sharedScenario("uac_message.xml").toString(), "-s", "bob",
                "127.0.0.1:" + fixture.port, "-i", "127.0.0.1", "-p", Integer.toString(RouterFixture.freePort()),
                "-t", "u1", "-m", Integer.toString(messages), "-r", "10", "-timeout", "40s", "-timeout_error");
        assertExitsZero(alice, "alice");

        assertTrue(uas.waitFor(30, TimeUnit.SECONDS), "bob's UAS did not answer all " + messages + " messages");
        assertEquals(0, uas.exitValue(), log("uas"));
    }

    @Test
    void should_take_a_sipp_list_message_to_each_listed_sipp_recipient_once_with_202() throws Exception {
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of("cpm.auth.enabled", "false"));
        String router = "127.0.0.1:" + fixture.port;
        int messages = 5;
        // bob and carol: a SIPp UAS each, registered; the list names bob twice (once by his number) and carol bcc
        for (String user : List.of("bob", "carol")) {
            int uasPort = RouterFixture.freePort();
            background.add(sipp("uas-" + user, "-sf", sharedScenario("uas_message.xml").toString(), "-i",
                    "127.0.0.1", "-p", Integer.toString(uasPort), "-m", "100", "-timeout", "60s", "-trace_msg",
                    "-message_file", work.resolve(user + "-messages.log").toString()));
            assertExitsZero(sipp("register-" + user, "-sf", scenario("register.xml"), "-s", user, router,
                    "-i", "127.0.0.1", "-p", Integer.toString(RouterFixture.freePort()), "-key", "contact_port",
                    Integer.toString(uasPort), "-m", "1", "-timeout", "20s", "-timeout_error"), "register-" + user);
        }
        String entries = "<entry uri=\"sip:bob@cpm.example.com\"/><entry uri=\"tel:+15551230002\"/>"
                + "<entry uri=\"sip:carol@cpm.example.com\" cp:copyControl=\"bcc\"/>";
        Process alice = sipp("alice-list", "-sf", benchScenario("uac_list_message.xml"), "-s", "exploder", router,
                "-i", "127.0.0.1", "-p", Integer.toString(RouterFixture.freePort()), "-t", "t1", "-key", "entries",
                entries, "-m", Integer.toString(messages), "-r", "5", "-timeout", "40s", "-timeout_error");
        assertExitsZero(alice, "alice-list");

        // one copy each per list message, and no more: bob's number is bob, carol (bcc) is not shown to bob
        for (String user : List.of("bob", "carol")) {
            Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> copies(user).size() >= messages);
            Awaitility.await().during(2, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS)
                    .until(() -> copies(user).size() == messages);
        }
        String bobsCopies = Files.readString(work.resolve("bob-messages.log"), StandardCharsets.ISO_8859_1);
        assertTrue(bobsCopies.contains("recipient-list-history"), "bob is shown the list");
        assertFalse(bobsCopies.contains("carol"), "never its bcc entry");
    }

    /** The copies a SIPp UAS received: the distinct Call-IDs of the MESSAGE requests in its message trace. */
    private Set<String> copies(String user) throws IOException {
        Path trace = work.resolve(user + "-messages.log");
        Set<String> callIds = new HashSet<>();
        if (!Files.exists(trace)) {
            return callIds;
        }
        boolean inMessage = false;
        for (String line : Files.readAllLines(trace, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("MESSAGE sip:")) {
                inMessage = true;
            } else if (line.startsWith("SIP/2.0 ")) {
                inMessage = false;
            } else if (inMessage && line.regionMatches(true, 0, "Call-ID:", 0, 8)) {
                callIds.add(line.substring(8).trim());
                inMessage = false;
            }
        }
        return callIds;
    }

    private static String benchScenario(String name) {
        return RouterFixture.home().resolve("bench/sipp").resolve(name).toString();
    }

    /** bob registers from SIPp (no User-Agent, MD5) with the contact of his UAS at uasPort. */
    private void registerBob(String router, int uasPort) throws Exception {
        Process register = sipp("register", "-sf", scenario("register_auth.xml"), "-s", "bob", router,
                "-i", "127.0.0.1", "-p", Integer.toString(RouterFixture.freePort()), "-au", "bob", "-ap", "bob-demo",
                "-key", "contact_port", Integer.toString(uasPort), "-m", "1", "-timeout", "20s", "-timeout_error");
        assertExitsZero(register, "register");
    }

    /** bob's client: answers every MESSAGE with 200, exits after it has answered them all (bounded anyway). */
    private Process startUas(int port, int messages) throws IOException {
        Process uas = sipp("uas", "-sf", sharedScenario("uas_message.xml").toString(), "-i", "127.0.0.1",
                "-p", Integer.toString(port), "-t", "u1", "-m", Integer.toString(messages), "-timeout", "60s");
        background.add(uas);
        return uas;
    }

    private Path sharedScenario(String name) {
        Path p = RouterFixture.home().resolve("../shared/bench/sipp").resolve(name).normalize();
        assertTrue(Files.isRegularFile(p), "the bench scenario " + p + " is missing (../shared beside the repo)");
        return p;
    }

    private static String scenario(String name) {
        return RouterFixture.home().resolve("routes/src/test/resources/sipp").resolve(name).toString();
    }

    private Process sipp(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/sipp");
        command.addAll(List.of(args));
        command.addAll(List.of("-nostdin", "-trace_err", "-error_file", work.resolve(name + "-errors.log").toString()));
        return new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".out").toFile()).start();
    }

    private void assertExitsZero(Process p, String name) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), name + " did not finish");
        assertEquals(0, p.exitValue(), name + " failed:\n" + log(name));
    }

    private String log(String name) {
        StringBuilder text = new StringBuilder();
        for (String file : List.of(name + ".out", name + "-errors.log")) {
            try {
                String content = Files.readString(work.resolve(file), StandardCharsets.ISO_8859_1);
                text.append(content, Math.max(0, content.length() - 3000), content.length());
            } catch (IOException e) {
                text.append("(no ").append(file).append(")");
            }
        }
        return text.toString();
    }
}
