package org.cpmrouter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.sip.SipTlsConfig;
import org.cpmrouter.sip.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients over TLS on 127.0.0.1, alice using bob's client as her "proxy" (bob listens on TLS with his own
 * certificate), through the library and through {@code cpm-client --transport tls}.
 */
class CpmClientTlsTest {

    @TempDir
    static Path dir;

    private static TestCertificates.Identity bobCert;

    @BeforeAll
    static void makeCertificates() throws Exception {
        bobCert = TestCertificates.create(dir, "bob");
    }

    private static CpmClient bobOverTls() throws Exception {
        SipTlsConfig tls = SipTlsConfig.client(bobCert.trustStore(), TestCertificates.PASSWORD)
                .withKeyStore(bobCert.keyStore(), TestCertificates.PASSWORD);
        return CpmClient.start(ClientConfig.of("sip:bob@cpm.example.com", "127.0.0.1", 9).withTls(9, tls));
    }

    private static int portOf(String contact) {
        return Integer.parseInt(contact.replaceAll(".*:(\\d+);.*", "$1"));
    }

    @Test
    void should_send_over_tls_and_register_a_tls_contact() throws Exception {
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        try (CpmClient bob = bobOverTls()) {
            bob.onMessage(inbox::add);
            assertTrue(bob.contact().endsWith(";transport=tls"), bob.contact());
            ClientConfig aliceConfig = ClientConfig.of("sip:alice@cpm.example.com", "127.0.0.1", 9)
                    .withTls(portOf(bob.contact()), SipTlsConfig.client(bobCert.trustStore(), TestCertificates.PASSWORD));
            try (CpmClient alice = CpmClient.start(aliceConfig)) {
                assertEquals(200, alice.send("sip:bob@cpm.example.com", "over TLS").get(40, TimeUnit.SECONDS).status());
            }
            ReceivedMessage m = inbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(m);
            assertEquals("over TLS", m.text());
        }
    }

    @Test
    void should_send_over_tls_from_the_command_line_with_the_password_from_the_environment() throws Exception {
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        try (CpmClient bob = bobOverTls()) {
            bob.onMessage(inbox::add);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new CpmClientCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    Map.of(CpmClientCli.TRUST_STORE_PASSWORD_ENV, TestCertificates.PASSWORD))
                    .run(new String[] {"send", "--from", "alice", "--to", "bob", "--transport", "tls",
                        "--trust-store", bobCert.trustStore().toString(),
                        "--proxy", "127.0.0.1:" + portOf(bob.contact()), "Hello", "over", "TLS"});
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("200 OK - delivered to sip:bob@"), out.toString());
            assertEquals("Hello over TLS", inbox.poll(10, TimeUnit.SECONDS).text());
        }
    }

    @Test
    void should_exit_2_naming_the_trust_store_when_tls_has_none() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CpmClientCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true), Map.of())
                .run(new String[] {"send", "--from", "alice", "--to", "bob", "--transport", "tls", "hi"});
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--transport tls needs --trust-store"), err.toString());
    }

    @Test
    void should_exit_2_without_showing_the_password_when_it_is_wrong() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CpmClientCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true), Map.of())
                .run(new String[] {"send", "--from", "alice", "--to", "bob", "--transport", "tls", "--trust-store",
                    bobCert.trustStore().toString(), "--trust-store-password", "wrong-secret", "hi"});
        assertEquals(2, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(bobCert.trustStore().toString()), text);
        assertTrue(!text.contains("wrong-secret"), text);
    }

    @Test
    void should_exit_2_when_listening_over_tls_without_a_key_store() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CpmClientCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true),
                Map.of(CpmClientCli.TRUST_STORE_PASSWORD_ENV, TestCertificates.PASSWORD))
                .run(new String[] {"listen", "--as", "bob", "--transport", "tls", "--trust-store",
                    bobCert.trustStore().toString()});
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("listen --transport tls needs --key-store"),
                err.toString());
    }
}
