package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.cpmrouter.routes.auth.DigestAuthenticator;
import org.cpmrouter.sip.UdpProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A value from the wire that passes the screening with a control character in it (a quoted-pair may escape one,
 * RFC 3261 section 25.1) reaches the router's log lines escaped: here a digest username with an ESC sequence, which
 * the authentication step logs when it challenges again a nonce it never issued.
 */
class WireValuesInLogIT {

    private static final Pattern REALM = Pattern.compile("realm=\"([^\"]*)\"");

    @TempDir
    Path dataDir;

    @Test
    void should_log_a_digest_username_with_control_characters_escaped() throws Exception {
        Logger auth = (Logger) LoggerFactory.getLogger(DigestAuthenticator.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        auth.addAppender(logged);
        try (RouterFixture router = RouterFixture.start(dataDir); UdpProbe probe = new UdpProbe()) {
            String callId = UUID.randomUUID() + "@127.0.0.1";
            String challenge = probe.exchange(register(probe, callId, 1, ""), router.port);
            assertEquals(401, UdpProbe.status(challenge), challenge);
            Matcher realm = REALM.matcher(challenge);
            assertTrue(realm.find(), challenge);

            String authorization = "Authorization: Digest username=\"al\\\u001b[2Jice\", realm=\""
                    + realm.group(1) + "\", nonce=\"never-issued\", uri=\"sip:" + RouterFixture.DOMAIN + "\", "
                    + "response=\"00000000000000000000000000000000\", algorithm=MD5, qop=auth, nc=00000001, "
                    + "cnonce=\"c1\"\n";
            String again = probe.exchange(register(probe, callId, 2, authorization), router.port);
            assertEquals(401, UdpProbe.status(again), again);

            List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            // "nonce not issued by this router" (or "not offered", should MD5 not be offered): challenged again
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("auth callId=" + callId + " user=al\\x1b[2Jice ")
                    && l.endsWith("challenged again")), String.join("\n", lines));
            assertTrue(lines.stream().allMatch(l -> l.chars().noneMatch(Character::isISOControl)),
                    "a raw control character in the log");
        } finally {
            auth.detachAppender(logged);
        }
    }

    private static String register(UdpProbe probe, String callId, int cseq, String extraHeaders) {
        String user = RouterFixture.uri("alice");
        return "REGISTER sip:" + RouterFixture.DOMAIN + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.port() + ";rport;branch=z9hG4bK" + UUID.randomUUID() + "\n"
                + "Max-Forwards: 70\n"
                + "From: <" + user + ">;tag=r" + probe.port() + "\n"
                + "To: <" + user + ">\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + " REGISTER\n"
                + "Contact: <sip:alice@127.0.0.1:" + probe.port() + ">\n"
                + "Expires: 60\n"
                + extraHeaders
                + "Content-Length: 0\n\n";
    }
}
