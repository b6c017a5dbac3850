package org.cpmrouter.routes.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChallengeChoiceTest {

    private static final List<DigestAlgorithm> BOTH = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
    private static final List<DigestAlgorithm> MD5 = List.of(DigestAlgorithm.MD5);

    @TempDir
    Path dir;

    private ChallengeChoice choice(Map<String, String> overrides) {
        return ChallengeChoice.from(DigestAuthSettings.from(RouterConfig.load(dir, dir, Map.of(), overrides)));
    }

    @Test
    void should_offer_md5_alone_on_the_shipped_defaults_to_baresip_sipp_and_requests_without_user_agent() {
        ChallengeChoice shipped = choice(Map.of());

        assertEquals(MD5, shipped.offeredTo("baresip v1.0.0 (x86_64/linux)"));
        assertEquals(MD5, shipped.offeredTo("SIPp/3.6"));
        assertEquals(MD5, shipped.offeredTo("sipp"));
        assertEquals(MD5, shipped.offeredTo(null));
        assertEquals(MD5, shipped.offeredTo(" "));
    }

    @Test
    void should_offer_sha256_then_md5_to_every_other_client() {
        ChallengeChoice shipped = choice(Map.of());

        assertEquals(BOTH, shipped.offeredTo("LinphoneCore/5.2.0 (belle-sip/5.2.0)"));
        assertEquals(BOTH, shipped.offeredTo("cpm-client/0.1"));
        assertEquals(BOTH, shipped.offeredTo("Not baresip but mentions it"), "a prefix, not a substring");
    }

    @Test
    void should_offer_the_configured_list_to_everyone_when_the_exceptions_are_switched_off() {
        ChallengeChoice off = choice(Map.of("cpm.auth.md5-only-user-agents", "",
                "cpm.auth.md5-only-without-user-agent", "false"));

        assertEquals(BOTH, off.offeredTo("baresip v1.0.0"));
        assertEquals(BOTH, off.offeredTo(null));
    }

    @Test
    void should_never_offer_md5_when_the_operator_allows_only_sha256() {
        ChallengeChoice strict = choice(Map.of("cpm.auth.algorithms", "SHA-256"));

        assertEquals(List.of(DigestAlgorithm.SHA_256), strict.offeredTo("baresip v1.0.0"));
        assertEquals(List.of(DigestAlgorithm.SHA_256), strict.offeredTo(null));
        assertEquals("[SHA-256]", strict.describe());
    }

    @Test
    void should_say_at_startup_who_gets_md5_alone() {
        String shipped = choice(Map.of()).describe();

        assertTrue(shipped.startsWith("[SHA-256, MD5], MD5 alone to User-Agents starting [baresip, sipp]"), shipped);
        assertTrue(shipped.endsWith("and to requests without User-Agent"), shipped);
    }

    @Test
    void should_refuse_a_setting_that_is_not_true_or_false_naming_the_key() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> choice(Map.of("cpm.auth.md5-only-without-user-agent", "yes")));

        assertTrue(e.getMessage().contains("cpm.auth.md5-only-without-user-agent"), e.getMessage());
    }
}
