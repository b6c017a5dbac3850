package org.cpmrouter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What {@code cpm-client} says to a person who got something wrong: one line naming the option, the address or the
 * router, and no request sent for a usage mistake. Real UDP on 127.0.0.1 where a peer is needed.
 */
class CpmClientCliErrorsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new CpmClientCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void should_name_an_unknown_option_instead_of_dropping_it_or_sending_its_value() {
        assertEquals(2, run("send", "--from", "alice", "--to", "bob", "--pasword", "x", "hi"));
        assertEquals("cpm-client: unknown option --pasword (cpm-client --help lists the options)\n", err());
        assertEquals(2, run("send", "--from", "alice", "--to", "bob", "--password", "--proxy", "127.0.0.1:9", "hi"));
        assertEquals("cpm-client: option --password needs a value (cpm-client --help lists the options)\n", err());
        assertEquals(2, run("listen", "--as", "bob", "--to", "alice"));
        assertTrue(err().startsWith("cpm-client: listen takes no --to"), err());
        assertEquals(2, run("send", "--from", "alice", "--to", "bob", "--proxy", "127.0.0.1", "--proxy", "x", "hi"));
        assertTrue(err().startsWith("cpm-client: --proxy given twice"), err());
        assertEquals(2, run("listen", "--as", "bob", "--expires", "soon"));
        assertTrue(err().startsWith("cpm-client: --expires is a whole number from 0, got 'soon'"), err());
    }

    @Test
    void should_explain_an_address_it_cannot_use() {
        assertEquals(2, run("send", "--from", "alice", "--to", "nonsense!!@@", "hi"));
        assertEquals("cpm-client: --to 'nonsense!!@@' is not an address: give a user of the domain (bob), a number"
                + " (+15551230002) or a URI (sip:bob@cpm.example.com) (cpm-client --help lists the options)\n", err());
        assertEquals(2, run("send", "--from", "al ice", "--to", "bob", "hi"));
        assertTrue(err().startsWith("cpm-client: --from 'al ice' is not an address"), err());
        assertEquals(2, run("send", "--from", "alice", "--to", "bob", "--proxy", "127.0.0.1:http", "hi"));
        assertTrue(err().startsWith("cpm-client: --proxy is HOST:PORT"), err());
    }

    @Test
    void should_refuse_an_empty_message() {
        assertEquals(2, run("send", "--from", "alice", "--to", "bob"));
        assertTrue(err().contains("an empty message is not sent"), err());
        assertEquals(2, run("send", "--from", "alice", "--to", "bob", "  ", ""));
        assertTrue(err().contains("an empty message is not sent"), err());
    }

    @Test
    void should_ask_for_the_digest_username_of_a_number_that_has_a_password() {
        assertEquals(2, run("send", "--from", "+15551230001", "--to", "bob", "--password", "alice-demo", "hi"));
        assertTrue(err().startsWith("cpm-client: --from +15551230001 is a number: give the subscriber's digest"
                + " username with it, --user NAME (e.g. --user alice)"), err());
    }

    @Test
    void should_name_the_router_that_does_not_answer() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(1, run("send", "--from", "alice", "--to", "bob", "--proxy",
                    "127.0.0.1:" + silent.getLocalPort(), "hi"));
        }
        assertTrue(err().startsWith("cpm-client: no answer from the router at 127.0.0.1:"), err());
        assertTrue(err().contains("(udp) within 3 s: is it running there? (--proxy HOST:PORT)"), err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void should_send_from_a_number_with_the_subscribers_digest_username() throws Exception {
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        try (CpmClient bob = CpmClient.start(ClientConfig.of("sip:bob@cpm.example.com", "127.0.0.1", 9))) {
            bob.onMessage(inbox::add);
            String port = bob.contact().replaceAll(".*:(\\d+).*", "$1");
            assertEquals(0, run("send", "--from", "+15551230001", "--user", "alice", "--to", "bob", "--proxy",
                    "127.0.0.1:" + port, "from", "a", "number"), err());
            ReceivedMessage m = inbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(m);
            assertEquals("from a number", m.text());
            assertEquals("tel:+15551230001", m.sender());
            assertEquals("<tel:+15551230001>", m.header("P-Preferred-Identity").orElseThrow());
        }
    }
}
