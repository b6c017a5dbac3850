package org.cpmrouter.routes.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestAuthSettingsTest {

    @TempDir
    Path dir;

    private DigestAuthSettings settings(Map<String, String> overrides) {
        return DigestAuthSettings.from(RouterConfig.load(dir, dir, Map.of(), overrides));
    }

    @Test
    void should_default_to_on_with_the_home_domain_as_realm_and_sha256_before_md5() {
        DigestAuthSettings s = settings(Map.of("cpm.domain", "a.example"));

        assertTrue(s.enabled());
        assertEquals("a.example", s.realm());
        assertEquals(List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5), s.algorithms());
        assertEquals(300, s.nonceTtlSeconds());
    }

    @Test
    void should_take_the_environment_form_the_benchmarks_use() {
        DigestAuthSettings s = DigestAuthSettings.from(RouterConfig.load(dir, dir, Map.of("CPM_AUTH_ENABLED", "false"),
                Map.of()));

        assertFalse(s.enabled());
    }

    @Test
    void should_refuse_bad_settings_naming_the_key_and_never_print_the_secret() {
        for (Map<String, String> bad : List.of(Map.of("cpm.auth.enabled", "yes"),
                Map.of("cpm.auth.algorithms", "SHA-256,MD5-sess"), Map.of("cpm.auth.algorithms", " "),
                Map.of("cpm.auth.nonce-secret", "too short"), Map.of("cpm.auth.nonce-ttl-seconds", "0"),
                Map.of("cpm.auth.max-active-nonces", "-1"))) {
            String key = bad.keySet().iterator().next();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings(bad));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        DigestAuthSettings s = settings(Map.of("cpm.auth.nonce-secret", "sixteen chars or more", "cpm.auth.realm", "r"));
        assertEquals("r", s.realm());
        assertFalse(s.toString().contains("sixteen chars"), s.toString());
    }
}
