package org.cpmrouter.smpp.testpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.cpmrouter.smpp.SmppStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SMSC test peer on its own, driven by handset simulators over SMPP on 127.0.0.1. */
class SmscTestPeerIT {

    private static final long WAIT_MS = 10_000;

    private SmscTestPeer peer;

    @BeforeEach
    void start() throws IOException {
        peer = SmscTestPeer.start("127.0.0.1", 0, "cpmrouter", "secret");
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    @Test
    void should_fail_clearly_when_an_mo_sms_is_injected_with_no_application_bound() {
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> peer.injectMobileOriginated("+15559990000", "+15551230002", "hi"));
        assertTrue(none.getMessage().contains("no application is bound"), none.getMessage());
    }

    @Test
    void should_answer_a_handset_with_an_error_when_no_application_is_bound() throws Exception {
        try (HandsetClient handset = HandsetClient.bind("127.0.0.1", peer.port(), "+15559990000", WAIT_MS)) {
            assertEquals(SmppStatus.ESME_RSYSERR, handset.send("+15551230002", "anyone there?"));
        }
    }

    @Test
    void should_refuse_an_unknown_system_id_and_a_handset_without_a_number() throws Exception {
        IOException unknown = assertThrows(IOException.class,
                () -> HandsetClientBinds.bindAs(peer.port(), "stranger", "secret", ""));
        assertTrue(unknown.getMessage().contains("negative"), unknown.getMessage());
        assertThrows(IOException.class,
                () -> HandsetClientBinds.bindAs(peer.port(), SmscTestPeer.HANDSET_SYSTEM_ID, "", "no-number"));

        List<Integer> statuses = List.of(
                peer.awaitBind(b -> b.systemId().equals("stranger"), WAIT_MS).commandStatus(),
                peer.awaitBind(b -> b.addressRange().equals("no-number"), WAIT_MS).commandStatus());
        assertEquals(List.of(SmppStatus.ESME_RINVSYSID, SmppStatus.ESME_RBINDFAIL), statuses);
    }

    @Test
    void should_deliver_between_two_handsets_only_through_the_application() throws Exception {
        // handset to handset is not an SMSC feature of the test peer: an MO SMS always goes to the application
        try (HandsetClient alice = HandsetClient.bind("127.0.0.1", peer.port(), "+15559990001", WAIT_MS);
                HandsetClient bob = HandsetClient.bind("127.0.0.1", peer.port(), "+15559990002", WAIT_MS)) {
            assertEquals(SmppStatus.ESME_RSYSERR, alice.send(bob.number(), "hi bob"));
            assertEquals(List.of(), peer.submitted());
        }
    }
}
