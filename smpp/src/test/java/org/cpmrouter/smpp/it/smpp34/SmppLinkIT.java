package org.cpmrouter.smpp.it.smpp34;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.smpp.InboundSms;
import org.cpmrouter.smpp.InboundSmsRejected;
import org.cpmrouter.smpp.OutboundSms;
import org.cpmrouter.smpp.SmppLink;
import org.cpmrouter.smpp.SmppLinkConfig;
import org.cpmrouter.smpp.SmppStatus;
import org.cpmrouter.smpp.SmppSubmitException;
import org.cpmrouter.smpp.SmsDeliveryReceipt;
import org.cpmrouter.smpp.SmsEncoding;
import org.cpmrouter.smpp.SubmitResult;
import org.cpmrouter.smpp.testpeer.BindAttempt;
import org.cpmrouter.smpp.testpeer.HandsetClient;
import org.cpmrouter.smpp.testpeer.SmscTestPeer;
import org.cpmrouter.smpp.testpeer.SubmittedSms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router's SMPP link against the SMSC test peer, over real SMPP 3.4 on 127.0.0.1. */
class SmppLinkIT {

    /** Bound on every wait; the waits end on the event itself, long before this on a healthy machine. */
    private static final long WAIT_MS = 10_000;
    private static final String ROUTER_NUMBER = "+15551230001";
    private static final String HANDSET = "+15559990000";
    private static final String CPM_USER = "+15551230002";

    private final RecordingHandler inbound = new RecordingHandler();
    private SmscTestPeer peer;
    private SmppLink link;

    @BeforeEach
    void startPeerAndLink() throws Exception {
        peer = SmscTestPeer.start("127.0.0.1", 0, "cpmrouter", "secret");
        link = SmppLink.start(config(peer.port(), "secret", 2_000), inbound);
        assertTrue(link.awaitBound(WAIT_MS), "the link binds to the test SMSC");
    }

    @AfterEach
    void stop() {
        link.close();
        peer.close();
    }

    private static SmppLinkConfig config(int port, String password, long responseTimeoutMs) {
        return new SmppLinkConfig("127.0.0.1", port, "cpmrouter", password, "", 30_000, 100, responseTimeoutMs);
    }

    private static SmppSubmitException failure(CompletableFuture<SubmitResult> submission) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> submission.get(WAIT_MS, TimeUnit.MILLISECONDS));
        return assertInstanceOf(SmppSubmitException.class, e.getCause());
    }

    @Test
    void should_bind_as_a_transceiver_with_the_configured_system_id() throws Exception {
        BindAttempt bind = peer.awaitBind(b -> true, WAIT_MS);
        assertEquals("cpmrouter", bind.systemId());
        assertEquals("BIND_TRX", bind.bindType());
        assertTrue(bind.accepted());
        assertTrue(link.isBound());
    }

    @Test
    void should_send_enquire_link_when_the_link_is_idle() throws Exception {
        try (SmppLink chatty = SmppLink.start(new SmppLinkConfig("127.0.0.1", peer.port(), "cpmrouter", "secret", "",
                50, 100, 2_000), sms -> { })) {
            assertTrue(chatty.awaitBound(WAIT_MS));
            peer.awaitApplicationEnquireLinks(2, WAIT_MS);
            assertTrue(chatty.isBound(), "answered enquire_link keep the link up");
        }
    }

    @Test
    void should_submit_a_short_text_as_one_submit_sm() throws Exception {
        SubmitResult result = link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, "Dinner at 8?"))
                .get(WAIT_MS, TimeUnit.MILLISECONDS);

        assertEquals(1, result.segments());
        assertEquals(SmsEncoding.GSM7, result.encoding());
        SubmittedSms sms = peer.awaitSubmitted(s -> s.destination().equals(HANDSET), WAIT_MS);
        assertEquals(List.of(sms.messageId()), result.messageIds());
        assertEquals(ROUTER_NUMBER, sms.source());
        assertEquals("Dinner at 8?", sms.text());
        assertEquals(0x00, sms.dataCoding());
        assertEquals(0x00, sms.esmClass());
        assertFalse(sms.concatenated());
    }

    @Test
    void should_send_a_400_character_text_as_three_concatenated_parts() throws Exception {
        String text = "The quick brown fox jumps over the lazy dog {0123456789} ".repeat(8).substring(0, 400);

        SubmitResult result = link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, text))
                .get(WAIT_MS, TimeUnit.MILLISECONDS);

        assertEquals(3, result.segments());
        List<SubmittedSms> parts = peer.awaitSubmitted(s -> s.destination().equals(HANDSET), 3, WAIT_MS);
        assertEquals(result.messageIds(), parts.stream().map(SubmittedSms::messageId).toList());
        assertEquals(List.of(1, 2, 3), parts.stream().map(SubmittedSms::concatSequence).toList());
        for (SubmittedSms part : parts) {
            assertEquals(parts.get(0).concatReference(), part.concatReference());
            assertEquals(3, part.concatTotal());
            assertEquals(0x40, part.esmClass());
        }
        assertEquals(List.of(text), peer.reassembledTexts(HANDSET));
    }

    @Test
    void should_send_greek_and_emoji_as_ucs2() throws Exception {
        String text = "Καλημέρα \uD83D\uDE00";

        SubmitResult result = link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, text))
                .get(WAIT_MS, TimeUnit.MILLISECONDS);

        assertEquals(SmsEncoding.UCS2, result.encoding());
        SubmittedSms sms = peer.awaitSubmitted(s -> s.destination().equals(HANDSET), WAIT_MS);
        assertEquals(0x08, sms.dataCoding());
        assertEquals(text, sms.text());
    }

    @Test
    void should_fail_refused_with_the_smsc_status_when_the_smsc_refuses() throws Exception {
        peer.refuseSubmissionsWith(SmppStatus.ESME_RINVDSTADR);

        SmppSubmitException refused = failure(link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, "hi")));

        assertEquals(SmppSubmitException.Kind.REFUSED, refused.kind());
        assertEquals(0x0B, refused.commandStatus());
        assertEquals("SMSC refused submit_sm: ESME_RINVDSTADR (0x0000000B)", refused.getMessage());
        assertEquals(List.of(), peer.submitted());
    }

    @Test
    void should_fail_unavailable_at_once_while_the_smsc_is_down_and_rebind_when_it_returns() throws Exception {
        int port = peer.port();
        peer.close();
        assertTrue(link.awaitUnbound(WAIT_MS), "the link notices that the SMSC is gone");

        CompletableFuture<SubmitResult> whileDown = link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, "hi"));
        assertTrue(whileDown.isCompletedExceptionally(), "failed before submit() returned: nothing is queued");
        SmppSubmitException unavailable = failure(whileDown);
        assertEquals(SmppSubmitException.Kind.UNAVAILABLE, unavailable.kind());
        assertEquals(0, unavailable.commandStatus());

        peer = SmscTestPeer.start("127.0.0.1", port, "cpmrouter", "secret");
        assertTrue(link.awaitBound(WAIT_MS), "the link binds again to the SMSC that came back");
        link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, "back")).get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals("back", peer.awaitSubmitted(s -> true, WAIT_MS).text());
    }

    @Test
    void should_fail_timeout_when_the_smsc_does_not_answer() throws Exception {
        peer.holdSubmissions(true);
        try (SmppLink impatient = SmppLink.start(config(peer.port(), "secret", 500), sms -> { })) {
            assertTrue(impatient.awaitBound(WAIT_MS));

            SmppSubmitException timeout = failure(impatient.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, "hi")));

            assertEquals(SmppSubmitException.Kind.TIMEOUT, timeout.kind());
            assertEquals(0, timeout.commandStatus());
            peer.awaitHeld(1, WAIT_MS);
            assertEquals(1, peer.heldSubmissions());
            assertTrue(impatient.isBound(), "an unanswered submit_sm does not drop the link");
        }
    }

    @Test
    void should_refuse_to_bind_with_a_wrong_password_and_fail_submissions_unavailable() throws Exception {
        try (SmppLink wrong = SmppLink.start(config(peer.port(), "guess", 2_000), sms -> { })) {
            // refused, and tried again after the reconnect delay
            List<BindAttempt> refused = peer.awaitBinds(b -> !b.accepted(), 2, WAIT_MS);

            assertEquals(SmppStatus.ESME_RINVPASWD, refused.get(0).commandStatus());
            assertFalse(wrong.isBound());
            SmppSubmitException unavailable = failure(wrong.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, "x")));
            assertEquals(SmppSubmitException.Kind.UNAVAILABLE, unavailable.kind());
        }
    }

    @Test
    void should_fail_unavailable_after_close() throws Exception {
        link.close();
        assertFalse(link.isBound());
        SmppSubmitException unavailable = failure(link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, "x")));
        assertEquals(SmppSubmitException.Kind.UNAVAILABLE, unavailable.kind());
    }

    @Test
    void should_hand_a_mobile_originated_sms_to_the_handler() throws Exception {
        assertEquals(SmppStatus.ESME_ROK, peer.injectMobileOriginated(HANDSET, CPM_USER, "On my way"));

        InboundSms sms = inbound.next(WAIT_MS);
        assertEquals(HANDSET, sms.sourceNumber());
        assertEquals(CPM_USER, sms.destinationNumber());
        assertEquals("On my way", sms.text());
        assertNotNull(sms.smscMessageId(), "the test peer names its MO id in receipted_message_id");
    }

    @Test
    void should_reassemble_a_concatenated_mobile_originated_sms() throws Exception {
        String gsm = "0123456789 ".repeat(40);
        String ucs2 = "Привет, мир! ".repeat(12);

        assertEquals(SmppStatus.ESME_ROK, peer.injectMobileOriginated(HANDSET, CPM_USER, gsm));
        assertEquals(SmppStatus.ESME_ROK, peer.injectMobileOriginated(HANDSET, CPM_USER, ucs2));

        assertEquals(gsm, inbound.next(WAIT_MS).text());
        assertEquals(ucs2, inbound.next(WAIT_MS).text());
    }

    @Test
    void should_answer_the_handlers_rejection_status_so_the_smsc_keeps_the_sms() throws Exception {
        inbound.rejectWith(SmppStatus.ESME_RX_T_APPN);
        String text = "a long message that the CPM side cannot take yet; ".repeat(5);

        assertEquals(SmppStatus.ESME_RX_T_APPN, peer.injectMobileOriginated(HANDSET, CPM_USER, text));

        // the SMSC retries later and the CPM side takes it then
        inbound.rejectWith(0);
        assertEquals(SmppStatus.ESME_ROK, peer.injectMobileOriginated(HANDSET, CPM_USER, text));
        assertEquals(text, inbound.next(WAIT_MS).text());
    }

    @Test
    void should_deliver_a_submitted_sms_to_a_handset_bound_with_the_destination_number() throws Exception {
        String text = "Hello handset, this is a message long enough to need two parts on its way through the "
                + "SMSC test peer, which passes each part on as deliver_sm. Ünïcödé-free but GSM: äöü.";
        try (HandsetClient handset = HandsetClient.bind("127.0.0.1", peer.port(), HANDSET, WAIT_MS)) {
            link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, text)).get(WAIT_MS, TimeUnit.MILLISECONDS);

            HandsetClient.ReceivedSms sms = handset.awaitSms(s -> true, WAIT_MS);
            assertEquals(ROUTER_NUMBER, sms.from());
            assertEquals(text, sms.text());
        }
    }

    @Test
    void should_relay_a_handset_sms_to_the_handler_and_its_answer_back_to_the_handset() throws Exception {
        try (HandsetClient handset = HandsetClient.bind("127.0.0.1", peer.port(), HANDSET, WAIT_MS)) {
            assertEquals(SmppStatus.ESME_ROK, handset.send(CPM_USER, "Hi from the phone"));
            InboundSms sms = inbound.next(WAIT_MS);
            assertEquals(HANDSET, sms.sourceNumber());
            assertEquals("Hi from the phone", sms.text());

            inbound.rejectWith(SmppStatus.ESME_RX_T_APPN);
            assertEquals(SmppStatus.ESME_RX_T_APPN, handset.send(CPM_USER, "not now"));
        }
    }

    @Test
    void should_ask_for_a_receipt_only_when_told_and_hand_the_smscs_receipt_to_the_handler() throws Exception {
        SubmitResult asked = link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, "receipt please", true))
                .get(WAIT_MS, TimeUnit.MILLISECONDS);
        link.submit(new OutboundSms(ROUTER_NUMBER, HANDSET, "no receipt")).get(WAIT_MS, TimeUnit.MILLISECONDS);
        SubmittedSms withReceipt = peer.awaitSubmitted(s -> s.text().equals("receipt please"), WAIT_MS);
        assertTrue(withReceipt.receiptRequested(), withReceipt::toString);
        assertFalse(peer.awaitSubmitted(s -> s.text().equals("no receipt"), WAIT_MS).receiptRequested());

        assertEquals(SmppStatus.ESME_ROK, peer.sendDeliveryReceipt(withReceipt, true));
        assertEquals(SmppStatus.ESME_ROK, peer.sendDeliveryReceipt(withReceipt, false));

        SmsDeliveryReceipt delivered = inbound.nextReceipt(WAIT_MS);
        assertEquals(asked.messageIds().get(0), delivered.smscMessageId());
        assertEquals(SmsDeliveryReceipt.Outcome.DELIVERED, delivered.outcome());
        assertEquals(HANDSET, delivered.sourceNumber());
        assertEquals(ROUTER_NUMBER, delivered.destinationNumber());
        assertEquals(SmsDeliveryReceipt.Outcome.FAILED, inbound.nextReceipt(WAIT_MS).outcome());
        assertTrue(inbound.taken.isEmpty(), "a receipt is not handed over as an SMS");
    }

    /** The CPM side as the link sees it: takes each SMS, or refuses it with a status. */
    private static final class RecordingHandler implements org.cpmrouter.smpp.InboundSmsHandler {
        private final java.util.concurrent.BlockingQueue<InboundSms> taken =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.util.concurrent.BlockingQueue<SmsDeliveryReceipt> receipts =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private volatile int rejectStatus;

        void rejectWith(int status) {
            rejectStatus = status;
        }

        InboundSms next(long timeoutMs) throws InterruptedException {
            InboundSms sms = taken.poll(timeoutMs, TimeUnit.MILLISECONDS);
            assertNotNull(sms, "an SMS reached the handler within " + timeoutMs + " ms");
            return sms;
        }

        SmsDeliveryReceipt nextReceipt(long timeoutMs) throws InterruptedException {
            SmsDeliveryReceipt receipt = receipts.poll(timeoutMs, TimeUnit.MILLISECONDS);
            assertNotNull(receipt, "a receipt reached the handler within " + timeoutMs + " ms");
            return receipt;
        }

        @Override
        public void onDeliveryReceipt(SmsDeliveryReceipt receipt) {
            receipts.add(receipt);
        }

        @Override
        public void onSms(InboundSms sms) throws InboundSmsRejected {
            int status = rejectStatus;
            if (status != 0) {
                throw new InboundSmsRejected(status, "CPM side unavailable (test)");
            }
            taken.add(sms);
        }
    }
}
