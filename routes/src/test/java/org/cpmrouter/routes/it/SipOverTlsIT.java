package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.sip.SipTlsConfig;
import org.cpmrouter.sip.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS through the whole router on 127.0.0.1 (RFC 3261 section 26.2.1), with key pairs and self-signed
 * certificates made for the test: the router's, and bob's, who listens over TLS and whom the router trusts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipOverTlsIT {

    private static final String PASSWORD = TestCertificates.PASSWORD;

    @TempDir
    static Path dir;

    private RouterFixture fixture;
    private int tlsPort;
    private TestCertificates.Identity routerCert;
    private TestCertificates.Identity bobCert;
    private TestCertificates.Identity stranger;
    private TestCertificates.Identity otherHost;
    private RouterFixture.Inbox bob;
    private RouterFixture.Inbox carol;

    @BeforeAll
    void start() throws Exception {
        routerCert = TestCertificates.create(dir, "router");
        bobCert = TestCertificates.create(dir, "bob");
        stranger = TestCertificates.create(dir, "stranger");
        // trusted by the router, but made for another host than 127.0.0.1, where its holder listens
        otherHost = TestCertificates.create(dir, "other-host", "dns:other.example.net");
        Path routerTrusts = TestCertificates.trustStoreOf(dir, "router-and-bob", routerCert, bobCert, otherHost);
        tlsPort = RouterFixture.freePort();
        fixture = RouterFixture.start(dir.resolve("data"), RouterFixture.freePort(), Map.of(
                "cpm.sip.tls-port", Integer.toString(tlsPort),
                "cpm.sip.tls.key-store", routerCert.keyStore().toString(),
                "cpm.sip.tls.key-store-password", PASSWORD,
                "cpm.sip.tls.trust-store", routerTrusts.toString(),
                "cpm.sip.tls.trust-store-password", PASSWORD));
        bob = fixture.registered(fixture.client(overTls("bob", SipTlsConfig.client(routerCert.trustStore(), PASSWORD)
                .withKeyStore(bobCert.keyStore(), PASSWORD))));
        carol = fixture.registered("carol"); // over UDP
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private ClientConfig overTls(String user, SipTlsConfig tls) {
        return ClientConfig.of(RouterFixture.uri(user), "127.0.0.1", fixture.port).withTls(tlsPort, tls)
                .withPassword(RouterFixture.password(user));
    }

    private CpmClient aliceTrustingTheRouter() throws Exception {
        return fixture.client(overTls("alice", SipTlsConfig.client(routerCert.trustStore(), PASSWORD)));
    }

    @Test
    void should_deliver_over_tls_to_a_recipient_registered_over_tls_and_answer_200() throws Exception {
        assertTrue(bob.client().contact().endsWith(";transport=tls"), bob.client().contact());
        SendResult result = aliceTrustingTheRouter().send(RouterFixture.uri("bob"), "Sealed dinner plans")
                .get(40, TimeUnit.SECONDS);
        assertEquals(200, result.status(), result.toString());
        ReceivedMessage received = bob.next();
        assertNotNull(received, "bob got nothing");
        assertEquals("Sealed dinner plans", received.text());
        assertEquals("<" + RouterFixture.uri("alice") + ">", received.header("P-Asserted-Identity").orElseThrow());
    }

    @Test
    void should_deliver_a_message_sent_over_tls_to_a_udp_recipient() throws Exception {
        SendResult result = aliceTrustingTheRouter().send(RouterFixture.uri("carol"), "From TLS to UDP")
                .get(40, TimeUnit.SECONDS);
        assertEquals(200, result.status(), result.toString());
        ReceivedMessage received = carol.next();
        assertNotNull(received, "carol got nothing");
        assertEquals("From TLS to UDP", received.text());
        assertEquals(RouterFixture.uri("alice"), received.sender());
    }

    @Test
    void should_fail_cleanly_when_the_client_does_not_trust_the_router_certificate() throws Exception {
        CpmClient suspicious = fixture.client(overTls("alice", SipTlsConfig.client(stranger.trustStore(), PASSWORD)));
        SendResult result = suspicious.send(RouterFixture.uri("carol"), "never sent").get(40, TimeUnit.SECONDS);
        assertEquals(503, result.status(), result.toString());
        assertNull(carol.messages().poll(1, TimeUnit.SECONDS), "nothing may reach carol");

        SendResult after = aliceTrustingTheRouter().send(RouterFixture.uri("carol"), "still served")
                .get(40, TimeUnit.SECONDS);
        assertEquals(200, after.status(), after.toString());
        assertEquals("still served", carol.next().text());
    }

    @Test
    void should_not_answer_plaintext_on_the_tls_port_and_keep_serving() throws Exception {
        String plain = "MESSAGE sip:carol@cpm.example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-plaintext\r\nMax-Forwards: 70\r\n"
                + "From: <sip:alice@cpm.example.com>;tag=1\r\nTo: <sip:carol@cpm.example.com>\r\n"
                + "Call-ID: plaintext-on-tls-port\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\n\r\nplain";
        String answer;
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), tlsPort)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(plain.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answer = readUntilClosedOrQuiet(socket.getInputStream());
        }
        assertFalse(answer.contains("SIP/2.0"), "plaintext on the TLS port got a SIP answer: " + answer);
        assertNull(carol.messages().poll(1, TimeUnit.SECONDS), "the plaintext request must not be delivered");

        SendResult after = aliceTrustingTheRouter().send(RouterFixture.uri("carol"), "after the plaintext")
                .get(40, TimeUnit.SECONDS);
        assertEquals(200, after.status(), after.toString());
        assertEquals("after the plaintext", carol.next().text());
    }

    /** What the peer sends until it closes the connection or stays silent for the socket's timeout. */
    private static String readUntilClosedOrQuiet(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | SocketException closedOrQuiet) {
            // silence or a reset are both "no SIP answer"
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void should_refuse_a_tls_connection_to_a_peer_whose_certificate_names_another_host() throws Exception {
        fixture.router.stores().subscribers().save(RouterFixture.withDemoPassword(
                new org.cpmrouter.groupstore.Subscriber("sip:erin@cpm.example.com", java.util.List.of(), true, false)));
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> security =
                new ch.qos.logback.core.read.ListAppender<>();
        security.start();
        var securityLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.cpmrouter.sip.SecurityEvents.LOGGER);
        securityLog.addAppender(security);
        try {
            RouterFixture.Inbox erin = fixture.registered(fixture.client(overTls("erin",
                    SipTlsConfig.client(routerCert.trustStore(), PASSWORD).withKeyStore(otherHost.keyStore(),
                            PASSWORD))));

            SendResult result = aliceTrustingTheRouter().send(RouterFixture.uri("erin"), "to an impostor?")
                    .get(40, TimeUnit.SECONDS);

            assertTrue(result.status() != 200, "the router must not claim delivery: " + result);
            assertNull(erin.messages().poll(1, TimeUnit.SECONDS), "nothing may reach a peer that is not 127.0.0.1");
            assertTrue(security.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .anyMatch(l -> l.startsWith("security: refused source=127.0.0.1 reason=tls-host-name ")
                            && l.contains("DNS:other.example.net, not 127.0.0.1")),
                    security.list.toString());
        } finally {
            securityLog.detachAppender(security);
        }
    }

    @Test
    void should_announce_tls_in_the_ready_line() {
        assertTrue(fixture.router.readyLine().contains(", TLS 127.0.0.1:" + tlsPort + ","),
                fixture.router.readyLine());
    }
}
