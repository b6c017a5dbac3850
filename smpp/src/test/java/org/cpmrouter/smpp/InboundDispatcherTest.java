package org.cpmrouter.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * deliver_sm as jSMPP hands it over, to the handler and back to a deliver_sm_resp status: receipts, undecodable
 * messages and a busy worker pool (the SMPP round trips are in SmppLinkIT).
 */
class InboundDispatcherTest {

    private final List<InboundSms> taken = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new SynchronousQueue<>());

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    private static DeliverSm deliverSm(int esmClass, int dataCoding, byte[] shortMessage) {
        DeliverSm deliverSm = new DeliverSm();
        deliverSm.setSourceAddrTon(TypeOfNumber.INTERNATIONAL.value());
        deliverSm.setSourceAddr("15559990000");
        deliverSm.setDestAddrTon(TypeOfNumber.UNKNOWN.value());
        deliverSm.setDestAddress("4242");
        deliverSm.setEsmClass((byte) esmClass);
        deliverSm.setDataCoding((byte) dataCoding);
        deliverSm.setShortMessage(shortMessage);
        return deliverSm;
    }

    @Test
    void should_acknowledge_a_delivery_receipt_without_calling_the_handler() throws Exception {
        InboundDispatcher dispatcher = new InboundDispatcher(taken::add, workers, 1);
        DeliverSm receipt = deliverSm(0x04, 0, ("id:0000ABCD sub:001 dlvrd:001 submit date:2401011200 done "
                + "date:2401011201 stat:DELIVRD err:000 text:hello").getBytes(StandardCharsets.US_ASCII));
        receipt.setOptionalParameters(new OptionalParameter.Receipted_message_id("0000ABCD"));

        dispatcher.onAcceptDeliverSm(receipt); // returning normally is ESME_ROK

        assertEquals(List.of(), taken);
    }

    @Test
    void should_hand_a_delivery_receipt_to_the_handler_with_its_id_and_state_from_the_tlvs() throws Exception {
        List<SmsDeliveryReceipt> receipts = new CopyOnWriteArrayList<>();
        InboundDispatcher dispatcher = new InboundDispatcher(receiving(receipts), workers, 1);
        DeliverSm receipt = deliverSm(0x04, 0, ("id:0000ABCD sub:001 dlvrd:001 submit date:2401011200 done "
                + "date:2401011201 stat:DELIVRD err:000 text:hello").getBytes(StandardCharsets.US_ASCII));
        receipt.setOptionalParameters(new OptionalParameter.Receipted_message_id("0000ABCD"),
                new OptionalParameter.Message_state(MessageState.DELIVERED.value()));

        dispatcher.onAcceptDeliverSm(receipt);

        assertEquals(List.of(new SmsDeliveryReceipt("0000ABCD", SmsDeliveryReceipt.Outcome.DELIVERED, "DELIVERED",
                "+15559990000", "4242")), receipts);
        assertEquals(List.of(), taken, "a receipt is not an MO SMS");
    }

    @Test
    void should_read_a_failed_receipt_from_its_text_when_it_has_no_tlvs() throws Exception {
        List<SmsDeliveryReceipt> receipts = new CopyOnWriteArrayList<>();
        InboundDispatcher dispatcher = new InboundDispatcher(receiving(receipts), workers, 1);

        dispatcher.onAcceptDeliverSm(deliverSm(0x04, 0, ("id:77 sub:001 dlvrd:000 submit date:2401011200 done "
                + "date:2401011201 stat:UNDELIV err:001 text:hello").getBytes(StandardCharsets.US_ASCII)));

        assertEquals(List.of(new SmsDeliveryReceipt("77", SmsDeliveryReceipt.Outcome.FAILED, "UNDELIV",
                "+15559990000", "4242")), receipts);
    }

    @Test
    void should_map_every_receipt_state_to_delivered_failed_or_pending() {
        assertEquals(SmsDeliveryReceipt.Outcome.DELIVERED, SmsDeliveryReceipt.outcomeOfStat("DELIVRD"));
        for (String failed : List.of("UNDELIV", "EXPIRED", "DELETED", "REJECTD")) {
            assertEquals(SmsDeliveryReceipt.Outcome.FAILED, SmsDeliveryReceipt.outcomeOfStat(failed), failed);
        }
        for (String pending : List.of("ENROUTE", "ACCEPTD", "UNKNOWN", "garbage")) {
            assertEquals(SmsDeliveryReceipt.Outcome.PENDING, SmsDeliveryReceipt.outcomeOfStat(pending), pending);
        }
        assertEquals(SmsDeliveryReceipt.Outcome.DELIVERED, SmsDeliveryReceipt.outcomeOfMessageState(2));
        for (int failed : new int[] {3, 4, 5, 8}) {
            assertEquals(SmsDeliveryReceipt.Outcome.FAILED, SmsDeliveryReceipt.outcomeOfMessageState(failed));
        }
        for (int pending : new int[] {0, 1, 6, 7, 9}) {
            assertEquals(SmsDeliveryReceipt.Outcome.PENDING, SmsDeliveryReceipt.outcomeOfMessageState(pending));
        }
    }

    @Test
    void should_answer_the_handlers_temporary_error_for_a_receipt_it_cannot_take_yet() {
        InboundDispatcher dispatcher = new InboundDispatcher(new InboundSmsHandler() {
            @Override
            public void onSms(InboundSms sms) {
                taken.add(sms);
            }

            @Override
            public void onDeliveryReceipt(SmsDeliveryReceipt receipt) throws InboundSmsRejected {
                throw new InboundSmsRejected(SmppStatus.ESME_RX_T_APPN, "store unavailable (test)");
            }
        }, workers, 1);
        DeliverSm receipt = deliverSm(0x04, 0, "id:1 stat:DELIVRD".getBytes(StandardCharsets.US_ASCII));

        ProcessRequestException refused = assertThrows(ProcessRequestException.class,
                () -> dispatcher.onAcceptDeliverSm(receipt));
        assertEquals(SmppStatus.ESME_RX_T_APPN, refused.getErrorCode());
    }

    /** A handler that keeps MO SMS in {@link #taken} and receipts in {@code receipts}. */
    private InboundSmsHandler receiving(List<SmsDeliveryReceipt> receipts) {
        return new InboundSmsHandler() {
            @Override
            public void onSms(InboundSms sms) {
                taken.add(sms);
            }

            @Override
            public void onDeliveryReceipt(SmsDeliveryReceipt receipt) {
                receipts.add(receipt);
            }
        };
    }

    @Test
    void should_hand_over_an_mo_sms_with_numbers_normalized() throws Exception {
        InboundDispatcher dispatcher = new InboundDispatcher(taken::add, workers, 1);
        dispatcher.onAcceptDeliverSm(deliverSm(0, 0, SmsText.encode("Hi {all}", SmsEncoding.GSM7)));
        assertEquals(List.of(new InboundSms("+15559990000", "4242", "Hi {all}", null)), taken);
    }

    @Test
    void should_answer_a_permanent_error_for_a_data_coding_it_cannot_read() {
        InboundDispatcher dispatcher = new InboundDispatcher(taken::add, workers, 1);
        ProcessRequestException refused = assertThrows(ProcessRequestException.class,
                () -> dispatcher.onAcceptDeliverSm(deliverSm(0, 0x04, new byte[] {1, 2})));
        assertEquals(SmppStatus.ESME_RX_P_APPN, refused.getErrorCode());
        assertEquals(List.of(), taken);
    }

    @Test
    void should_answer_a_temporary_error_when_every_worker_is_busy() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InboundDispatcher dispatcher = new InboundDispatcher(sms -> {
            inHandler.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            taken.add(sms);
        }, workers, 1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try {
                dispatcher.onAcceptDeliverSm(deliverSm(0, 0, SmsText.encode("one", SmsEncoding.GSM7)));
            } catch (ProcessRequestException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));

        ProcessRequestException busy = assertThrows(ProcessRequestException.class,
                () -> dispatcher.onAcceptDeliverSm(deliverSm(0, 0, SmsText.encode("two", SmsEncoding.GSM7))));
        assertEquals(SmppStatus.ESME_RX_T_APPN, busy.getErrorCode());

        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("one"), taken.stream().map(InboundSms::text).toList());
    }

    @Test
    void should_answer_a_temporary_error_when_the_handler_fails_unexpectedly() {
        InboundDispatcher dispatcher = new InboundDispatcher(sms -> {
            throw new IllegalStateException("bug");
        }, workers, 1);
        ProcessRequestException refused = assertThrows(ProcessRequestException.class,
                () -> dispatcher.onAcceptDeliverSm(deliverSm(0, 0, SmsText.encode("x", SmsEncoding.GSM7))));
        assertEquals(SmppStatus.ESME_RX_T_APPN, refused.getErrorCode());
    }
}
