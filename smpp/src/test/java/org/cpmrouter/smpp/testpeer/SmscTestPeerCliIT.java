package org.cpmrouter.smpp.testpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.smpp.InboundSms;
import org.cpmrouter.smpp.InboundSmsRejected;
import org.cpmrouter.smpp.SmppLink;
import org.cpmrouter.smpp.SmppLinkConfig;
import org.cpmrouter.smpp.SmppStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code cpm-smsc send} in-process, against a test peer with the router's link bound to it. */
class SmscTestPeerCliIT {

    private static final long WAIT_MS = 10_000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final BlockingQueue<InboundSms> taken = new LinkedBlockingQueue<>();
    private volatile boolean refuse;
    private SmscTestPeer peer;
    private SmppLink link;

    @BeforeEach
    void start() throws Exception {
        peer = SmscTestPeer.start("127.0.0.1", 0, "cpmrouter", "secret");
        link = SmppLink.start(new SmppLinkConfig("127.0.0.1", peer.port(), "cpmrouter", "secret", "", 30_000, 100,
                2_000), sms -> {
                    if (refuse) {
                        throw new InboundSmsRejected(SmppStatus.ESME_RX_T_APPN, "CPM side unavailable (test)");
                    }
                    taken.add(sms);
                });
        assertTrue(link.awaitBound(WAIT_MS));
    }

    @AfterEach
    void stop() {
        link.close();
        peer.close();
    }

    private int run(String... args) {
        return new SmscTestPeerCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void should_send_an_mo_sms_that_reaches_the_application() throws Exception {
        int exit = run("send", "--from", "+15559990000", "--to", "+15551230002", "--smsc",
                "127.0.0.1:" + peer.port(), "On", "my", "way");

        assertEquals(0, exit, out() + err);
        assertEquals("ESME_ROK (0x00000000) - accepted for +15551230002\n", out());
        InboundSms sms = taken.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(sms);
        assertEquals("+15559990000", sms.sourceNumber());
        assertEquals("On my way", sms.text());
    }

    @Test
    void should_print_the_status_and_exit_1_when_the_application_refuses() {
        refuse = true;
        int exit = run("send", "--from", "+15559990000", "--to", "+15551230002", "--smsc",
                "127.0.0.1:" + peer.port(), "hi");

        assertEquals(1, exit);
        assertEquals("ESME_RX_T_APPN (0x00000064) - not accepted for +15551230002\n", out());
    }

    @Test
    void should_explain_a_bad_command_line_and_exit_2() {
        assertEquals(2, run("send", "--from", "+15559990000", "hi"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("send needs --to"));
        assertEquals(2, run("send", "--from", "+15559990000", "--to", "+1555", "--smsc", "nohost", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--smsc must be HOST:PORT"));
        assertEquals(2, run("send", "--from", "+15559990000", "--to", "+15551230002", "--bogus", "x", "hi"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cpm-smsc: unknown option --bogus"));
        assertEquals(2, run("listen", "--number", "+15559990000", "--to", "+15551230002"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cpm-smsc: listen takes no --to"));
        assertEquals(2, run("send", "--from", "+15559990000", "--to", "+15551230002", " "));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("an empty SMS is not sent"));
    }

    @Test
    void should_name_the_test_peer_it_cannot_reach_and_exit_1() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        assertEquals(1, run("send", "--from", "+15559990000", "--to", "+15551230002", "--smsc",
                "127.0.0.1:" + closed, "hi"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cpm-smsc: cannot bind to the SMSC test peer at"
                + " 127.0.0.1:" + closed + ": "), err.toString(StandardCharsets.UTF_8));
    }
}
