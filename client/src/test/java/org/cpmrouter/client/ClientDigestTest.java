package org.cpmrouter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;

import org.cpmrouter.sip.IncomingRequest;
import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.SipNodeConfig;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.cpmrouter.sip.auth.DigestAuthorization;
import org.cpmrouter.sip.auth.DigestChallenge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client answering digest challenges, over real UDP on 127.0.0.1 against a peer that challenges every request
 * without credentials (as a SIP/IP Core does) and accepts only a correct digest for bob/"bob-pw".
 */
class ClientDigestTest {

    /** What the challenging peer saw: one entry per request, in order. */
    record Seen(String method, String callId, long cseq, DigestAuthorization credentials, int answered) {
    }

    private SipNode peer;
    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private volatile List<DigestAlgorithm> offered = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
    private volatile boolean staleForNextCredentials;
    /** Challenge as a proxy does: 407 with Proxy-Authenticate, credentials in Proxy-Authorization. */
    private volatile boolean asProxy;

    @BeforeEach
    void startPeer() throws Exception {
        peer = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE", "REGISTER"), 2, null));
        peer.setHandler(this::onRequest);
    }

    @AfterEach
    void stopPeer() {
        peer.close();
    }

    private void onRequest(IncomingRequest in) {
        var request = in.request();
        List<String> auth = SipNode.headerValues(request, asProxy ? "Proxy-Authorization" : "Authorization");
        DigestAuthorization credentials = auth.isEmpty() ? null : DigestAuthorization.parse(auth.get(0)).orElseThrow();
        int status;
        if (credentials == null) {
            status = 401;
        } else if (staleForNextCredentials) {
            staleForNextCredentials = false;
            status = 0;
        } else {
            DigestAlgorithm a = DigestAlgorithm.fromToken(credentials.algorithm()).orElseThrow();
            String expected = a.response(a.ha1("bob", "r.example", "bob-pw"), credentials.nonce(), credentials.nc(),
                    credentials.cnonce(), credentials.qop(), request.getMethod(), request.getRequestURI().toString());
            status = expected.equals(credentials.response()) ? 200 : 403;
        }
        seen.add(new Seen(request.getMethod(), ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(),
                ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber(), credentials, status));
        if (status == 401 || status == 0) {
            List<String> challenges = new ArrayList<>();
            for (DigestAlgorithm a : offered) {
                challenges.add((asProxy ? "Proxy-Authenticate: " : "WWW-Authenticate: ") + new DigestChallenge("r.example", "nonce-" + seen.size(), "op", a,
                        "auth", status == 0).toHeaderValue());
            }
            in.respond(asProxy ? 407 : 401, asProxy ? "Proxy Authentication Required" : "Unauthorized", challenges);
        } else {
            in.respond(status);
        }
    }

    private CpmClient client(String password) throws Exception {
        return CpmClient.start(new ClientConfig("sip:bob@cpm.example.com", "127.0.0.1", peer.port(), "127.0.0.1", 0,
                "udp", password));
    }

    @Test
    void should_answer_a_challenge_with_sha256_same_call_id_and_next_cseq_then_send_credentials_ahead() throws Exception {
        try (CpmClient bob = client("bob-pw")) {
            assertEquals(200, bob.send("sip:alice@cpm.example.com", "hi").get(10, TimeUnit.SECONDS).status());
            Seen first = seen.poll(5, TimeUnit.SECONDS);
            Seen second = seen.poll(5, TimeUnit.SECONDS);
            assertNotNull(second);
            assertEquals(null, first.credentials());
            assertEquals(first.callId(), second.callId());
            assertEquals(first.cseq() + 1, second.cseq());
            assertEquals("SHA-256", second.credentials().algorithm());
            assertEquals("00000001", second.credentials().nc());
            assertEquals("sip:alice@cpm.example.com", second.credentials().uri());

            assertEquals(200, bob.register(600).get(10, TimeUnit.SECONDS).status());
            Seen ahead = seen.poll(5, TimeUnit.SECONDS);
            assertEquals("REGISTER", ahead.method());
            assertEquals(second.credentials().nonce(), ahead.credentials().nonce(), "the last nonce, sent ahead");
            assertEquals("00000002", ahead.credentials().nc());
            assertEquals(200, ahead.answered());
        }
    }

    @Test
    void should_answer_with_md5_when_only_md5_is_offered() throws Exception {
        offered = List.of(DigestAlgorithm.MD5);
        try (CpmClient bob = client("bob-pw")) {
            assertEquals(200, bob.send("tel:+15551230001", "hi").get(10, TimeUnit.SECONDS).status());
            seen.poll(5, TimeUnit.SECONDS);
            assertEquals("MD5", seen.poll(5, TimeUnit.SECONDS).credentials().algorithm());
        }
    }

    @Test
    void should_answer_a_proxys_407_with_proxy_authorization() throws Exception {
        asProxy = true;
        try (CpmClient bob = client("bob-pw")) {
            assertEquals(200, bob.send("sip:alice@cpm.example.com", "hi").get(10, TimeUnit.SECONDS).status());
            assertEquals(null, seen.poll(5, TimeUnit.SECONDS).credentials());
            assertEquals("SHA-256", seen.poll(5, TimeUnit.SECONDS).credentials().algorithm());
        }
    }

    @Test
    void should_answer_a_stale_challenge_once_more_and_end_with_403_for_a_wrong_password() throws Exception {
        try (CpmClient bob = client("bob-pw")) {
            staleForNextCredentials = true;
            assertEquals(200, bob.send("sip:alice@cpm.example.com", "hi").get(10, TimeUnit.SECONDS).status());
            assertEquals(3, drain().size(), "challenge, stale challenge, accepted");
        }
        try (CpmClient bob = client("wrong")) {
            assertEquals(403, bob.send("sip:alice@cpm.example.com", "hi").get(10, TimeUnit.SECONDS).status());
            assertEquals(2, drain().size(), "challenged, then refused: no further attempt");
        }
    }

    @Test
    void should_end_with_the_401_and_tell_the_user_how_to_give_a_password_when_it_has_none() throws Exception {
        try (CpmClient bob = client(null)) {
            SendResult result = bob.send("sip:alice@cpm.example.com", "hi").get(10, TimeUnit.SECONDS);
            assertEquals(401, result.status());
            assertEquals(1, drain().size());
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CpmClientCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true), Map.of())
                .run(new String[] {"send", "--from", "bob", "--to", "alice", "--proxy", "127.0.0.1:" + peer.port(), "hi"});
        assertEquals(1, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("asks sip:bob@cpm.example.com to authenticate") && message.contains("CPM_PASSWORD"),
                message);
    }

    @Test
    void should_take_the_password_from_cpm_password_when_no_option_gives_one() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new CpmClientCli(new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream()),
                Map.of("CPM_PASSWORD", "bob-pw"))
                .run(new String[] {"send", "--from", "bob", "--to", "alice", "--proxy", "127.0.0.1:" + peer.port(), "hi"});
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("200 OK"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void should_never_show_the_password_when_the_config_is_printed() {
        assertTrue(!new ClientConfig("sip:bob@x", "h", 1, "h", 0, "udp", "s3cret").toString().contains("s3cret"));
    }

    private List<Seen> drain() throws InterruptedException {
        List<Seen> all = new ArrayList<>();
        Seen s;
        while ((s = seen.poll(500, TimeUnit.MILLISECONDS)) != null) {
            all.add(s);
        }
        return all;
    }
}
