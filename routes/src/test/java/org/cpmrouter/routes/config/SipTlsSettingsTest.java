package org.cpmrouter.routes.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cpmrouter.sip.SipTlsConfig;
import org.cpmrouter.sip.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router's {@code cpm.sip.tls*} settings: off by default, read from the configuration folder, checked early. */
class SipTlsSettingsTest {

    @TempDir
    static Path configDir;

    private static TestCertificates.Identity router;

    @BeforeAll
    static void makeCertificate() throws Exception {
        router = TestCertificates.create(configDir, "router");
    }

    private static RouterConfig load(Map<String, String> overrides) {
        return RouterConfig.load(configDir, configDir, Map.of(), overrides);
    }

    private static Map<String, String> tls(String... more) {
        Map<String, String> m = new HashMap<>();
        m.put("cpm.sip.tls.key-store", "router-keys.p12"); // relative: read from the configuration folder
        m.put("cpm.sip.tls.key-store-password", TestCertificates.PASSWORD);
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void should_be_off_without_a_key_store() {
        assertTrue(SipTlsSettings.of(load(Map.of())).isEmpty());
    }

    @Test
    void should_read_every_setting_with_paths_relative_to_the_configuration_folder() {
        SipTlsConfig tls = SipTlsSettings.of(load(tls("cpm.sip.tls-port", "5071", "cpm.sip.tls.protocols",
                "TLSv1.2, TLSv1.3", "cpm.sip.tls.client-auth", "want", "cpm.sip.tls.trust-store", "router-trust.p12",
                "cpm.sip.tls.trust-store-password", TestCertificates.PASSWORD,
                "cpm.sip.tls.cipher-suites", "TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")))
                .orElseThrow();
        assertEquals(5071, tls.port());
        assertEquals(configDir.resolve("router-keys.p12"), tls.keyStore());
        assertEquals(configDir.resolve("router-trust.p12"), tls.trustStore());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), tls.protocols());
        assertEquals(2, tls.cipherSuites().size());
        assertEquals(SipTlsConfig.ClientAuth.Want, tls.clientAuth());
        assertEquals("PKCS12", tls.storeType());
    }

    @Test
    void should_refuse_a_wrong_password_at_load_naming_the_setting_and_file_but_not_the_password() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(tls("cpm.sip.tls.key-store-password", "guessed-wrong")));
        assertTrue(e.getMessage().startsWith("cpm.sip.tls: cannot read TLS key store"), e.getMessage());
        assertTrue(e.getMessage().contains("router-keys.p12"), e.getMessage());
        assertFalse(e.getMessage().contains("guessed-wrong"), e.getMessage());
    }

    @Test
    void should_refuse_other_mistakes_naming_the_setting() {
        IllegalArgumentException auth = assertThrows(IllegalArgumentException.class,
                () -> load(tls("cpm.sip.tls.client-auth", "DisabledAll")));
        assertTrue(auth.getMessage().startsWith("cpm.sip.tls.client-auth"), auth.getMessage());
        IllegalArgumentException samePort = assertThrows(IllegalArgumentException.class,
                () -> load(tls("cpm.sip.tls-port", "5060")));
        assertTrue(samePort.getMessage().contains("cpm.sip.tls-port must differ from cpm.sip.port"), samePort.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> load(tls("cpm.sip.tls.key-store", "nowhere.p12")));
        assertTrue(missing.getMessage().contains(configDir.resolve("nowhere.p12").toString()), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> load(Map.of("cpm.sip.tls-port", "0")));
    }

    @Test
    void should_treat_passwords_and_the_admin_token_as_secrets() {
        assertTrue(RouterConfig.isSecret("cpm.sip.tls.key-store-password"));
        assertTrue(RouterConfig.isSecret("cpm.sip.tls.trust-store-password"));
        assertTrue(RouterConfig.isSecret("cpm.admin.token"));
        assertTrue(RouterConfig.isSecret("cpm.smsc.password"));
        assertTrue(RouterConfig.isSecret("cpm.auth.nonce-secret"));
        assertFalse(RouterConfig.isSecret("cpm.sip.tls.key-store"));
        assertTrue(Files.exists(router.keyStore()));
    }
}
