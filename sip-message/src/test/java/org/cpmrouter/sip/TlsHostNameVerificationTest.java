package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which hosts a certificate names for SIP (RFC 5922 7.2): URI and DNS names for domains, IP names for addresses. */
class TlsHostNameVerificationTest {

    @TempDir
    Path dir;

    private X509Certificate certificate(String name, String sans) throws Exception {
        TestCertificates.Identity identity = TestCertificates.create(dir, name, sans);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(identity.keyStore())) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        return (X509Certificate) store.getCertificate(name);
    }

    private static boolean names(X509Certificate certificate, String host) {
        return TlsHostNameVerification.names(certificate, host, new ArrayList<>());
    }

    @Test
    void should_match_a_domain_by_its_sip_uri_or_dns_name_and_an_address_by_its_ip_name_only() throws Exception {
        X509Certificate peer = certificate("peer", "uri:sip:cpm.example.com,dns:peer.example.net,ip:127.0.0.1");

        assertTrue(names(peer, "cpm.example.com"));
        assertTrue(names(peer, "PEER.example.net"), "host names compare without case");
        assertTrue(names(peer, "127.0.0.1"));
        assertFalse(names(peer, "other.example.net"));
        assertFalse(names(peer, "127.0.0.2"));
        List<String> seen = new ArrayList<>();
        TlsHostNameVerification.names(peer, "elsewhere.example", seen);
        assertEquals(List.of("URI:sip:cpm.example.com", "DNS:peer.example.net", "IP:127.0.0.1"), seen);
    }

    @Test
    void should_never_accept_a_wildcard_name() throws Exception {
        X509Certificate wildcard = certificate("wildcard", "dns:*.example.net");

        assertFalse(names(wildcard, "peer.example.net"));
    }
}
