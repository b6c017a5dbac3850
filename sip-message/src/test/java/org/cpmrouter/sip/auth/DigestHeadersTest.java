package org.cpmrouter.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Digest challenge and credentials header values, read and written. */
class DigestHeadersTest {

    @Test
    void should_read_quoted_and_token_parameters_with_escapes_and_any_case_of_names() {
        Map<String, String> p = DigestParams.parse(
                "Digest USERNAME=\"al\\\"ice\",realm=\"a, b\" , nc=00000001,qop=auth, algorithm = SHA-256").orElseThrow();

        assertEquals("al\"ice", p.get("username"));
        assertEquals("a, b", p.get("realm"));
        assertEquals("00000001", p.get("NC"));
        assertEquals("auth", p.get("qop"));
        assertEquals("SHA-256", p.get("algorithm"));
    }

    @Test
    void should_ignore_other_schemes_and_refuse_malformed_lists() {
        assertEquals(Optional.empty(), DigestParams.parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
        assertEquals(Optional.empty(), DigestParams.parse("Digestive x=1"));
        assertThrows(IllegalArgumentException.class, () -> DigestParams.parse("Digest realm=\"open"));
        assertThrows(IllegalArgumentException.class, () -> DigestParams.parse("Digest realm"));
    }

    @Test
    void should_write_a_challenge_that_reads_back_the_same() {
        DigestChallenge c = new DigestChallenge("cpm.example.com", "n1", "o1", DigestAlgorithm.SHA_256, "auth", true);

        assertEquals("Digest realm=\"cpm.example.com\", nonce=\"n1\", opaque=\"o1\", algorithm=SHA-256, qop=\"auth\", "
                + "stale=true", c.toHeaderValue());
        assertEquals(Optional.of(c), DigestChallenge.parse(c.toHeaderValue()));
    }

    @Test
    void should_write_credentials_that_read_back_the_same_and_never_print_the_response() {
        DigestChallenge c = new DigestChallenge("cpm.example.com", "n1", "o1", DigestAlgorithm.MD5, "auth", false);
        DigestAuthorization a = DigestAuthorization.answer(c, "alice", "alice-demo", "MESSAGE",
                "sip:bob@cpm.example.com", 2, "c1");

        assertEquals(Optional.of(a), DigestAuthorization.parse(a.toHeaderValue()));
        assertTrue(a.toHeaderValue().contains(", qop=auth, nc=00000002, cnonce=\"c1\""), a.toHeaderValue());
        assertFalse(a.toString().contains(a.response()), a.toString());
    }

    @Test
    void should_refuse_credentials_that_lack_a_required_parameter() {
        assertThrows(IllegalArgumentException.class, () -> DigestAuthorization.parse(
                "Digest username=\"alice\", realm=\"r\", nonce=\"n\", uri=\"sip:x\""));
    }

    @Test
    void should_prefer_sha256_over_md5_whatever_their_order_and_skip_what_it_cannot_answer() {
        String md5 = "Digest realm=\"r\", nonce=\"n\", algorithm=MD5, qop=\"auth\"";
        String sha = "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256, qop=\"auth\"";
        String sess = "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256-sess, qop=\"auth\"";

        assertEquals(DigestAlgorithm.SHA_256, DigestChallenge.preferred(List.of(md5, sha)).orElseThrow().algorithm());
        assertEquals(DigestAlgorithm.SHA_256, DigestChallenge.preferred(List.of(sha, md5)).orElseThrow().algorithm());
        assertEquals(DigestAlgorithm.MD5, DigestChallenge.preferred(List.of(sess, md5)).orElseThrow().algorithm());
        assertEquals(Optional.empty(), DigestChallenge.preferred(List.of(sess, "Basic realm=\"r\"")));
    }
}
