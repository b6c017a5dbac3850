package org.cpmrouter.routes.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrustedPeersTest {

    @Test
    void should_trust_configured_peers_by_address_or_address_and_port() {
        TrustedPeers peers = new TrustedPeers(List.of("10.0.0.1", "10.0.0.2:5060"));
        assertTrue(peers.isTrusted("10.0.0.1", 1234));
        assertTrue(peers.isTrusted("10.0.0.2", 5060));
        assertFalse(peers.isTrusted("10.0.0.2", 5061));
        assertFalse(peers.isTrusted("127.0.0.1", 40000));
    }

    @Test
    void should_trust_an_admitted_socket_only_until_its_admission_is_closed() {
        TrustedPeers peers = new TrustedPeers(List.of());
        try (TemporaryGrant admission = peers.admit("127.0.0.1", 40000)) {
            assertTrue(peers.isTrusted("127.0.0.1", 40000));
            assertFalse(peers.isTrusted("127.0.0.1", 40001), "that port only");
            assertFalse(peers.isTrusted("127.0.0.2", 40000));
            assertTrue(peers.isTrustedAddress("127.0.0.1"), "the bans see the address: never banned while admitted");
            assertFalse(peers.isTrustedAddress("127.0.0.2"));
        }
        assertFalse(peers.isTrusted("127.0.0.1", 40000), "no trust left after the warm-up");
        assertFalse(peers.isTrustedAddress("127.0.0.1"), "and the bans count loopback again");
        assertTrue(peers.describe().equals("none"), "the startup line names configured peers only");
    }
}
