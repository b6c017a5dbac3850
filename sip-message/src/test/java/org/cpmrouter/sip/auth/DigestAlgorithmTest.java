package org.cpmrouter.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The digest computation against the worked example of RFC 7616 section 3.9.1: user "Mufasa", password
 * "Circle of Life" (lower-case "of", erratum 4495), GET /dir/index.html, the same request answered with MD5 and
 * with SHA-256.
 */
class DigestAlgorithmTest {

    static final String REALM = "http-auth@example.org";
    static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    static final String OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    static final String URI = "/dir/index.html";

    @Test
    void should_compute_the_md5_response_of_rfc_7616_example() {
        DigestAlgorithm md5 = DigestAlgorithm.MD5;
        String ha1 = md5.ha1("Mufasa", REALM, "Circle of Life");

        assertEquals("8ca523f5e9506fed4657c9700eebdbec",
                md5.response(ha1, NONCE, "00000001", CNONCE, "auth", "GET", URI));
    }

    @Test
    void should_compute_the_sha256_response_of_rfc_7616_example() {
        DigestAlgorithm sha256 = DigestAlgorithm.SHA_256;
        String ha1 = sha256.ha1("Mufasa", REALM, "Circle of Life");

        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                sha256.response(ha1, NONCE, "00000001", CNONCE, "auth", "GET", URI));
    }

    @Test
    void should_answer_the_rfc_7616_challenges_with_the_example_credentials() {
        for (var expected : new String[][] {
                {"MD5", "8ca523f5e9506fed4657c9700eebdbec"},
                {"SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"}}) {
            DigestChallenge challenge = DigestChallenge.parse("Digest realm=\"" + REALM + "\", qop=\"auth, auth-int\", "
                    + "algorithm=" + expected[0] + ", nonce=\"" + NONCE + "\", opaque=\"" + OPAQUE + "\"").orElseThrow();

            DigestAuthorization answer = DigestAuthorization.answer(challenge, "Mufasa", "Circle of Life", "GET", URI,
                    1, CNONCE);

            assertEquals(expected[1], answer.response());
            assertEquals("00000001", answer.nc());
            assertEquals("auth", answer.qop());
            assertEquals(OPAQUE, answer.opaque());
            assertEquals(expected[0], answer.algorithm());
        }
    }

    @Test
    void should_read_an_absent_algorithm_as_md5_and_refuse_unknown_ones() {
        assertEquals(Optional.of(DigestAlgorithm.MD5), DigestAlgorithm.fromToken(null));
        assertEquals(Optional.of(DigestAlgorithm.SHA_256), DigestAlgorithm.fromToken("sha-256"));
        assertEquals(Optional.empty(), DigestAlgorithm.fromToken("MD5-sess"));
        assertEquals(Optional.empty(), DigestAlgorithm.fromToken("SHA-512-256"));
    }
}
