package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sip.address.AddressFactory;
import javax.sip.address.Hop;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import gov.nist.javax.sip.Utils;
import org.junit.jupiter.api.Test;

/** The branches the node makes for its client transactions instead of the RI's digested ones. */
class SipNodeBranchTest {

    @Test
    void branchesCarryTheCookieTheStacksSignatureAnd128RandomBits() {
        String branch = SipNode.newBranch();
        String prefix = "z9hG4bK-" + Utils.getSignature() + "-";
        assertTrue(branch.startsWith(prefix), branch);
        assertTrue(branch.substring(prefix.length()).matches("[0-9a-f]{32}"), branch);
    }

    @Test
    void branchesDoNotRepeat() throws Exception {
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Runnable make = () -> {
            for (int i = 0; i < 50_000; i++) {
                seen.add(SipNode.newBranch());
            }
        };
        Thread other = new Thread(make);
        other.start();
        make.run();
        other.join();
        assertEquals(100_000, seen.size());
    }

    @Test
    void eachSendGetsAFreshBranchAndAnUnsentCloneCanBeSentAgain() throws Exception {
        SipNodeConfig config = new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 2, null);
        try (SipNode sender = SipNode.start(config); SipNode receiver = SipNode.start(config)) {
            List<String> branches = new CopyOnWriteArrayList<>();
            receiver.setHandler(in -> {
                branches.add(((ViaHeader) in.request().getHeader(ViaHeader.NAME)).getBranch());
                in.respond(200);
            });
            AddressFactory af = sender.addressFactory();
            HeaderFactory hf = sender.headerFactory();
            String target = "sip:bob@127.0.0.1:" + receiver.port();
            Request request = sender.messageFactory().createRequest(af.createURI(target), Request.MESSAGE,
                    hf.createCallIdHeader(sender.newCallId()), hf.createCSeqHeader(1L, Request.MESSAGE),
                    hf.createFromHeader(af.createAddress("sip:alice@127.0.0.1"), sender.newTag()),
                    hf.createToHeader(af.createAddress(target), null), List.of(sender.newVia("udp")),
                    sender.newMaxForwards(70));
            assertNull(((ViaHeader) request.getHeader(ViaHeader.NAME)).getBranch());
            Request unsent = (Request) request.clone();
            Hop hop = SipNode.hop("127.0.0.1", receiver.port(), "udp");
            assertEquals(200, sender.send(request, hop).get(5, TimeUnit.SECONDS).getStatusCode());
            ((CSeqHeader) unsent.getHeader(CSeqHeader.NAME)).setSeqNumber(2L);
            assertEquals(200, sender.send(unsent, hop).get(5, TimeUnit.SECONDS).getStatusCode());
            assertEquals(2, branches.size());
            assertNotEquals(branches.get(0), branches.get(1));
            for (String branch : branches) {
                assertTrue(branch.startsWith("z9hG4bK-" + Utils.getSignature() + "-"), branch);
            }
        }
    }
}
