package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.cpmrouter.client.CpmAdminCli;
import org.cpmrouter.sip.SecurityEvents;
import org.cpmrouter.sip.UdpProbe;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Bans of source addresses over real SIP on 127.0.0.1, the attackers on other loopback addresses (127.0.0.2 and
 * up; Linux routes all of 127.0.0.0/8 to the loopback): 20 failed authentications ban an address, which is then
 * refused even with the right password until the ban ends (3 s here) or is lifted, while alice from 127.0.0.1 goes
 * on; a flood bans its source; a trusted peer is never banned; failures for one username spread over addresses
 * never lock the real user out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceBansIT {

    private static final String BOB = "sip:bob@cpm.example.com";
    private static final int BAN_SECONDS = 3;
    private static final int FLOOD_MAX = 60;
    private static final String TRUSTED = "127.0.0.3";
    private static final String EXEMPT_PROXY = "127.0.0.21";

    @TempDir
    static Path dataDir;

    private RouterFixture fixture;
    private RouterFixture.Inbox bob;
    private final ListAppender<ILoggingEvent> security = new ListAppender<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        security.start();
        ((Logger) LoggerFactory.getLogger(SecurityEvents.LOGGER)).addAppender(security);
        fixture = RouterFixture.start(dataDir, RouterFixture.freePort(), Map.of(
                "cpm.auth.ban-seconds", Integer.toString(BAN_SECONDS),
                "cpm.flood.max-requests", Integer.toString(FLOOD_MAX),
                "cpm.flood.ban-seconds", Integer.toString(BAN_SECONDS),
                "cpm.sip.trusted-peers", TRUSTED,
                "cpm.bans.exempt-addresses", EXEMPT_PROXY,
                "cpm.limits.sender-rate", "0")); // about bans: the sender limit is SenderRateLimitIT's
        bob = fixture.registered("bob");
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(SecurityEvents.LOGGER)).detachAppender(security);
        if (fixture != null) {
            fixture.close();
        }
    }

    private DigestProbe from(String address) throws Exception {
        return new DigestProbe(fixture.port, InetAddress.getByName(address));
    }

    /** A MESSAGE from bob's name to alice, answered with {@code password}; the final response. */
    private static String asBob(DigestProbe probe, String password) throws Exception {
        String request = probe.message("sip:alice@cpm.example.com", "", "hello")
                .replace("From: <sip:alice@cpm.example.com>", "From: <sip:bob@cpm.example.com>");
        return probe.sendAuthenticated(request, "bob", password, DigestAlgorithm.SHA_256);
    }

    /** A MESSAGE from {@code user} to alice (who is not registered: 202, held for her), answered with the password. */
    private static String as(DigestProbe probe, String user, String password) throws Exception {
        String request = probe.message("sip:alice@cpm.example.com", "", "hello")
                .replace("From: <sip:alice@cpm.example.com>", "From: <sip:" + user + "@cpm.example.com>");
        return probe.sendAuthenticated(request, user, password, DigestAlgorithm.SHA_256);
    }

    private static String cpim(String text) {
        return new String(org.cpmrouter.sip.cpim.CpimMessage.builder().from("sip:alice@cpm.example.com").to(BOB)
                .text(text).build().toBytes(), StandardCharsets.UTF_8);
    }

    private void aliceIsServed(String text) throws Exception {
        assertEquals(200, fixture.client("alice").send(BOB, text).get(10, TimeUnit.SECONDS).status());
        assertEquals(text, bob.next().text());
    }

    private List<String> securityLines() {
        return security.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private String bansJson() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.adminPort + "/admin/bans"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** 200 or 202 (held for a recipient who is not registered). */
    private static boolean accepted(String response) {
        return UdpProbe.status(response) / 100 == 2;
    }

    /** Sends with the right password every 100 ms until it is let in; how long that took, in milliseconds. */
    private static long untilLetIn(DigestProbe probe, String user) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(BAN_SECONDS + 10);
        while (System.nanoTime() < deadline) {
            if (accepted(as(probe, user, RouterFixture.password(user)))) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new AssertionError(user + " was still refused " + (BAN_SECONDS + 10) + " s later");
    }

    @Test
    void should_refuse_an_address_after_20_failures_even_with_the_right_password_until_the_ban_ends() throws Exception {
        try (DigestProbe attacker = from("127.0.0.2")) {
            for (int i = 1; i <= 20; i++) {
                String refused = asBob(attacker, "guess-" + i);
                assertEquals(403, UdpProbe.status(refused), "guess " + i + ": " + refused);
                assertTrue(refused.startsWith("SIP/2.0 403 Authentication failed"), refused);
            }
            long bannedAt = System.nanoTime(); // just after the 20th failure's answer: the ban began before

            String right = asBob(attacker, RouterFixture.password("bob"));

            assertTrue(right.startsWith("SIP/2.0 403 Source Banned (Too Many Failed Authentications)"), right);
            aliceIsServed("alice is not the attacker"); // from 127.0.0.1, meanwhile
            assertTrue(bansJson().contains("\"address\":\"127.0.0.2\",\"reason\":\"auth-failures\",\"count\":20"),
                    bansJson());
            assertEquals(1, securityLines().stream().filter(l -> l.startsWith(
                    "security: ban source=127.0.0.2 reason=auth-failures count=20 seconds=" + BAN_SECONDS)).count(),
                    String.join("\n", securityLines()));
            assertEquals(20, securityLines().stream().filter(l -> l.startsWith(
                    "security: refused source=127.0.0.2 reason=auth-failed status=403 user=bob ")).count());

            untilLetIn(attacker, "bob");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bannedAt);
            // the checks above take their time on a loaded machine, so the wait is counted from the ban
            assertTrue(waited >= BAN_SECONDS * 1000L - 250, "let in " + waited + " ms after the ban, before it ended");
        }
    }

    @Test
    void should_list_and_lift_a_ban_with_cpm_admin() throws Exception {
        // dave is this test's own: failures for another test's user would make that name "under attack" here
        fixture.router.stores().subscribers().save(RouterFixture.withDemoPassword(
                new org.cpmrouter.groupstore.Subscriber("sip:dave@cpm.example.com", List.of(), true, false)));
        try (DigestProbe attacker = from("127.0.0.5")) {
            for (int i = 1; i <= 20; i++) {
                as(attacker, "dave", "wrong-" + i);
            }
            assertTrue(as(attacker, "dave", RouterFixture.password("dave")).startsWith("SIP/2.0 403 Source Banned"));

            String listed = admin("bans", "list");
            assertTrue(listed.contains("127.0.0.5  auth-failures (20)  until "), listed);
            assertEquals("ban of 127.0.0.5 lifted\n", admin("bans", "lift", "127.0.0.5"));

            String after = as(attacker, "dave", RouterFixture.password("dave"));
            assertTrue(accepted(after), after);
            assertTrue(securityLines().contains("security: ban-lifted source=127.0.0.5 by=admin API"));
            assertEquals(1, adminExit("bans", "lift", "127.0.0.5"), "no ban left to lift");
            assertEquals(2, adminExit("bans", "lift"), "lift names an address");
        }
    }

    @Test
    void should_ban_a_source_that_floods_and_go_on_serving_others() throws Exception {
        try (UdpProbe flooder = new UdpProbe(InetAddress.getByName("127.0.0.4"))) {
            String last = null;
            for (int i = 0; i < FLOOD_MAX + 5; i++) {
                last = flooder.exchange(flooder.message(BOB, fixture.port, "", "x").replace("MESSAGE sip:", "OPTIONS sip:")
                        .replace("CSeq: 1 MESSAGE", "CSeq: 1 OPTIONS"), fixture.port);
            }
            assertTrue(last.startsWith("SIP/2.0 403 Source Banned (Request Flood)"), last);
        }
        aliceIsServed("after the flood");
        assertTrue(securityLines().stream().anyMatch(l -> l.startsWith("security: ban source=127.0.0.4 reason=flood ")),
                String.join("\n", securityLines()));
    }

    @Test
    void should_never_ban_an_exempt_proxy_that_forwards_more_than_the_flood_limit() throws Exception {
        try (UdpProbe proxy = new UdpProbe(InetAddress.getByName(EXEMPT_PROXY))) {
            for (int i = 0; i < FLOOD_MAX * 2; i++) {
                String answer = proxy.exchange(proxy.message(BOB, fixture.port, "", "x")
                        .replace("MESSAGE sip:", "OPTIONS sip:").replace("CSeq: 1 MESSAGE", "CSeq: 1 OPTIONS"),
                        fixture.port);
                assertEquals(200, UdpProbe.status(answer), "request " + i + ": " + answer);
            }
        }
        assertTrue(securityLines().stream().noneMatch(l -> l.contains("source=" + EXEMPT_PROXY + " ")),
                String.join("\n", securityLines()));
    }

    @Test
    void should_never_ban_a_trusted_peer() throws Exception {
        try (UdpProbe peer = new UdpProbe(InetAddress.getByName(TRUSTED))) {
            for (int i = 0; i < FLOOD_MAX * 2; i++) {
                String answer = peer.exchange(peer.message(BOB, fixture.port,
                        "P-Asserted-Identity: <sip:alice@cpm.example.com>\n", cpim("from a trusted peer " + i)),
                        fixture.port);
                assertEquals(200, UdpProbe.status(answer), "request " + i + ": " + answer);
                assertEquals("from a trusted peer " + i, bob.next().text());
            }
        }
        assertTrue(securityLines().stream().noneMatch(l -> l.contains("source=" + TRUSTED + " ")),
                String.join("\n", securityLines()));
    }

    @Test
    void should_ban_each_address_guessing_an_attacked_username_without_locking_out_its_owner() throws Exception {
        // 20 failures for carol from four addresses, 5 each: no address reaches 20, but carol is under attack
        for (int a = 6; a <= 9; a++) {
            try (DigestProbe guesser = from("127.0.0." + a)) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(403, UdpProbe.status(as(guesser, "carol", "guess")));
                }
            }
        }
        try (DigestProbe next = from("127.0.0.10")) {
            assertEquals(403, UdpProbe.status(as(next, "carol", "one more guess")));
            assertTrue(as(next, "carol", RouterFixture.password("carol")).startsWith("SIP/2.0 403 Source Banned"),
                    "an address that fails for an attacked name is banned at its first failure");
        }
        // carol herself, from an address that never failed, is let in: the name is not banned
        try (DigestProbe carol = from("127.0.0.11")) {
            String answer = as(carol, "carol", RouterFixture.password("carol"));
            assertTrue(accepted(answer), answer);
        }
    }

    private String admin(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = cli(out, err, args);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private int adminExit(String... args) {
        return cli(new ByteArrayOutputStream(), new ByteArrayOutputStream(), args);
    }

    private int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--admin";
        all[1] = "http://127.0.0.1:" + fixture.adminPort;
        System.arraycopy(args, 0, all, 2, args.length);
        return new CpmAdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(all);
    }
}
