package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS between two {@link SipNode}s on 127.0.0.1, with key pairs and self-signed certificates made for
 * the test: delivery, the protocol setting, untrusted certificates, client certificates, plaintext on the TLS port,
 * and the configuration errors an operator can make.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipNodeTlsTest {

    private static final String PASSWORD = TestCertificates.PASSWORD;

    @TempDir
    static Path dir;

    private TestCertificates.Identity server;
    private TestCertificates.Identity client;
    private TestCertificates.Identity stranger;
    private Path serverTrustsClient;
    private final List<SipNode> nodes = new ArrayList<>();
    private final BlockingQueue<IncomingRequest> received = new LinkedBlockingQueue<>();

    @BeforeAll
    void makeCertificates() throws Exception {
        server = TestCertificates.create(dir, "server");
        client = TestCertificates.create(dir, "client");
        stranger = TestCertificates.create(dir, "stranger");
        serverTrustsClient = TestCertificates.trustStoreOf(dir, "server-and-client", server, client);
    }

    @AfterEach
    void stop() {
        nodes.forEach(SipNode::close);
        nodes.clear();
        received.clear();
    }

    private SipNode serverNode(SipTlsConfig tls) throws Exception {
        SipNode node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp", "tls"), Set.of("MESSAGE"), 2,
                null, tls.withPort(0)));
        nodes.add(node);
        node.setHandler(in -> {
            received.add(in);
            in.respond(200);
        });
        return node;
    }

    private SipNode clientNode(SipTlsConfig tls) throws Exception {
        SipNode node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("tls"), Set.of("MESSAGE"), 2,
                null, tls));
        nodes.add(node);
        return node;
    }

    private static SipTlsConfig serverTls() {
        return SipTlsConfig.server(Path.of("unused"), PASSWORD); // replaced by each test's key store
    }

    private SipTlsConfig serverTlsWith(Path keyStore) {
        return serverTls().withKeyStore(keyStore, PASSWORD);
    }

    private static int send(SipNode from, SipNode to) throws Exception {
        Request request = message(from, "sip:bob@127.0.0.1:" + to.tlsPort() + ";transport=tls");
        Response response = from.send(request, SipNode.hop("127.0.0.1", to.tlsPort(), "tls")).get(40, TimeUnit.SECONDS);
        return response.getStatusCode();
    }

    static Request message(SipNode from, String target) throws Exception {
        AddressFactory af = from.addressFactory();
        HeaderFactory hf = from.headerFactory();
        return from.messageFactory().createRequest(af.createURI(target), Request.MESSAGE,
                hf.createCallIdHeader(from.newCallId()), hf.createCSeqHeader(1L, Request.MESSAGE),
                hf.createFromHeader(af.createAddress("sip:alice@127.0.0.1"), from.newTag()),
                hf.createToHeader(af.createAddress(target), null), List.of(from.newVia("tls")),
                from.newMaxForwards(70), hf.createContentTypeHeader("text", "plain"),
                "over TLS".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_deliver_a_message_over_tls_when_the_client_trusts_the_server() throws Exception {
        SipNode router = serverNode(serverTlsWith(server.keyStore()));
        SipNode alice = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD));

        assertEquals(200, send(alice, router));
        IncomingRequest in = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(in);
        assertEquals("tls", in.transport());
        assertEquals("127.0.0.1", in.remoteAddress());
        assertTrue(router.tlsPort() > 0 && router.tlsPort() != router.port());
    }

    @Test
    void should_negotiate_tls_1_3_when_both_sides_enable_it() throws Exception {
        SipNode router = serverNode(serverTlsWith(server.keyStore()).withProtocols(List.of("TLSv1.3")));
        SipNode modern = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD)
                .withProtocols(List.of("TLSv1.3")));
        SipNode older = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD)
                .withProtocols(List.of("TLSv1.2")));

        assertEquals(200, send(modern, router));
        assertNotNull(received.poll(10, TimeUnit.SECONDS));
        // the server speaks TLS 1.3 only, so the success above was TLS 1.3: a TLS 1.2-only client cannot connect
        assertEquals(503, send(older, router));
        assertNull(received.poll(1, TimeUnit.SECONDS));
    }

    @Test
    void should_fail_cleanly_when_the_client_does_not_trust_the_server_certificate() throws Exception {
        SipNode router = serverNode(serverTlsWith(server.keyStore()));
        SipNode suspicious = clientNode(SipTlsConfig.client(stranger.trustStore(), PASSWORD));
        SipNode trusting = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD));

        assertEquals(503, send(suspicious, router));
        assertEquals(200, send(trusting, router));
        IncomingRequest only = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(only);
        assertNull(received.poll(1, TimeUnit.SECONDS), "the refused request must not have reached the server");
    }

    @Test
    void should_require_a_trusted_client_certificate_when_client_auth_is_enabled() throws Exception {
        SipNode router = serverNode(serverTlsWith(server.keyStore()).withTrustStore(serverTrustsClient, PASSWORD)
                .withClientAuth(SipTlsConfig.ClientAuth.Enabled));
        SipNode anonymous = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD));
        SipNode strangerWithCert = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD)
                .withKeyStore(stranger.keyStore(), PASSWORD));
        SipNode known = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD)
                .withKeyStore(client.keyStore(), PASSWORD));

        assertEquals(503, send(anonymous, router));
        assertEquals(503, send(strangerWithCert, router));
        assertEquals(200, send(known, router));
        assertNotNull(received.poll(10, TimeUnit.SECONDS));
        assertNull(received.poll(1, TimeUnit.SECONDS));
    }

    @Test
    void should_accept_clients_with_and_without_certificate_when_client_auth_is_want() throws Exception {
        SipNode router = serverNode(serverTlsWith(server.keyStore()).withTrustStore(serverTrustsClient, PASSWORD)
                .withClientAuth(SipTlsConfig.ClientAuth.Want));
        SipNode anonymous = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD));
        SipNode known = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD)
                .withKeyStore(client.keyStore(), PASSWORD));

        // (a client whose certificate is from an issuer the server does not name presents none: JSSE picks a
        // certificate only from the issuers the server's request lists, so it is "anonymous" here too)
        assertEquals(200, send(anonymous, router));
        assertEquals(200, send(known, router));
        assertNotNull(received.poll(10, TimeUnit.SECONDS));
        assertNotNull(received.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void should_not_answer_plaintext_sip_on_the_tls_port_and_keep_serving() throws Exception {
        SipNode router = serverNode(serverTlsWith(server.keyStore()));
        String plain = "MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-plain\r\nMax-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: plaintext-on-tls\r\n"
                + "CSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi";
        String answer;
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), router.tlsPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(plain.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answer = readUntilClosedOrQuiet(socket.getInputStream());
        }
        assertFalse(answer.contains("SIP/2.0"), "plaintext on the TLS port got a SIP answer: " + answer);
        assertNull(received.poll(1, TimeUnit.SECONDS));

        SipNode alice = clientNode(SipTlsConfig.client(server.trustStore(), PASSWORD));
        assertEquals(200, send(alice, router));
    }

    /** What the peer sends until it closes the connection or stays silent for the socket's timeout. */
    private static String readUntilClosedOrQuiet(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException closedOrQuiet) {
            // silence or a reset are both "no SIP answer"
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void should_answer_503_when_sending_over_tls_from_a_node_without_tls() throws Exception {
        SipNode router = serverNode(serverTlsWith(server.keyStore()));
        SipNode plain = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 1, null));
        nodes.add(plain);
        Request request = message(plain, "sip:bob@127.0.0.1:" + router.tlsPort() + ";transport=tls");
        Response response = plain.send(request, SipNode.hop("127.0.0.1", router.tlsPort(), "tls"))
                .get(10, TimeUnit.SECONDS);
        assertEquals(503, response.getStatusCode());
    }

    @Test
    void should_refuse_a_wrong_password_naming_the_file_but_not_the_password() {
        SipTlsConfig wrong = serverTls().withKeyStore(server.keyStore(), "not-the-password");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, wrong::check);
        assertTrue(e.getMessage().contains(server.keyStore().toString()), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
        assertFalse(wrong.toString().contains("not-the-password"), wrong.toString());
    }

    @Test
    void should_refuse_configuration_mistakes_with_a_clear_message() throws Exception {
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> serverTlsWith(server.trustStore()).check());
        assertTrue(noKey.getMessage().contains("no private key"), noKey.getMessage());

        Path missing = dir.resolve("missing.p12");
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
                () -> serverTlsWith(missing).check());
        assertTrue(absent.getMessage().contains(missing.toString()), absent.getMessage());

        IllegalArgumentException protocol = assertThrows(IllegalArgumentException.class,
                () -> serverTlsWith(server.keyStore()).withProtocols(List.of("TLSv9")).check());
        assertTrue(protocol.getMessage().contains("TLSv9") && protocol.getMessage().contains("TLSv1.3"),
                protocol.getMessage());

        IllegalArgumentException cipher = assertThrows(IllegalArgumentException.class,
                () -> serverTlsWith(server.keyStore()).withCipherSuites(List.of("TLS_NO_SUCH_SUITE")).check());
        assertTrue(cipher.getMessage().contains("TLS_NO_SUCH_SUITE"), cipher.getMessage());

        IllegalArgumentException trustAll = assertThrows(IllegalArgumentException.class,
                () -> SipTlsConfig.ClientAuth.parse("DisabledAll"));
        assertTrue(trustAll.getMessage().contains("Disabled, Want or Enabled"), trustAll.getMessage());
        assertEquals(SipTlsConfig.ClientAuth.Want, SipTlsConfig.ClientAuth.parse("want"));

        assertThrows(IllegalArgumentException.class, () -> new SipNodeConfig("127.0.0.1", 0, List.of("tls"),
                Set.of("MESSAGE"), 1, null));
        assertTrue(Files.exists(server.keyStore()));
    }

    @Test
    void should_enable_the_jdk_default_cipher_suites_rather_than_the_stack_defaults() {
        SipTlsConfig tls = serverTlsWith(server.keyStore());
        List<String> suites = tls.effectiveCipherSuites();
        assertTrue(suites.stream().anyMatch(s -> s.startsWith("TLS_ECDHE_ECDSA_WITH_AES")), suites.toString());
        assertFalse(suites.stream().anyMatch(s -> s.contains("_anon_") || s.contains("3DES")), suites.toString());
        assertEquals(String.join(",", suites),
                tls.stackProperties().getProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES"));
        assertEquals("Disabled", tls.stackProperties().getProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE"));
        assertEquals("TLSv1.2", tls.stackProperties().getProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS"));
    }
}
