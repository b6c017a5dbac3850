package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DigestCredentialsTest {

    @Test
    void should_hash_username_realm_and_password_with_md5_and_sha256_when_made_from_a_password() {
        // expected values computed outside Java: echo -n "alice:cpm.example.com:alice-demo" | md5sum / sha256sum
        DigestCredentials c = DigestCredentials.fromPassword("alice", "cpm.example.com", "alice-demo");

        assertEquals("0efdaac88e795d7baa241f6eb0efb45d", c.ha1Md5());
        assertEquals("c033e7c75f21786e944676bbd82090a7e9f89c5d5ce220057b2722468675d4dc", c.ha1Sha256());
        assertEquals("alice", c.username());
        assertEquals("cpm.example.com", c.realm());
    }

    @Test
    void should_never_show_the_hashes_when_printed() {
        DigestCredentials c = DigestCredentials.fromPassword("alice", "cpm.example.com", "alice-demo");
        Subscriber alice = new Subscriber("sip:alice@cpm.example.com", java.util.List.of(), true, false)
                .withCredentials(c);

        assertFalse(c.toString().contains(c.ha1Md5()) || c.toString().contains(c.ha1Sha256()), c.toString());
        assertFalse(alice.toString().contains(c.ha1Md5()), alice.toString());
        assertFalse(alice.toString().contains("alice-demo"), alice.toString());
    }

    @Test
    void should_take_the_user_part_as_default_username() {
        assertEquals("alice", DigestCredentials.defaultUsername("sip:alice@cpm.example.com"));
        assertThrows(IllegalArgumentException.class, () -> DigestCredentials.defaultUsername("sip:cpm.example.com"));
    }

    @Test
    void should_refuse_an_empty_password_and_malformed_hashes() {
        assertThrows(IllegalArgumentException.class, () -> DigestCredentials.fromPassword("a", "r", ""));
        assertThrows(IllegalArgumentException.class, () -> new DigestCredentials("a", "r", "XYZ", "0".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> new DigestCredentials("a", " ", "0".repeat(32), "0".repeat(64)));
    }
}
