package org.cpmrouter.smpp;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each deliver_sm from the SMSC into an {@link InboundSms} (or, for a delivery receipt, an
 * {@link SmsDeliveryReceipt}) for the handler, and the handler's answer into the deliver_sm_resp status. The handler runs on the link's bounded worker pool; jSMPP's processing thread waits
 * for it, because the deliver_sm_resp must carry its answer.
 */
final class InboundDispatcher implements MessageReceiverListener {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDispatcher.class);

    /** esm_class message type bits (SMPP 3.4 5.2.12): anything but 0 is a receipt or acknowledgement, not an MO. */
    private static final int ESM_MESSAGE_TYPE = 0x3C;
    /** esm_class message type: SMSC delivery receipt. */
    private static final int ESM_SMSC_DELIVERY_RECEIPT = 0x04;
    /** esm_class message type: intermediate delivery notification. */
    private static final int ESM_INTERMEDIATE_NOTIFICATION = 0x20;

    private final InboundSmsHandler handler;
    private final ExecutorService workers;
    private final int workerCount;
    private final ConcatReassembler reassembler = new ConcatReassembler();

    InboundDispatcher(InboundSmsHandler handler, ExecutorService workers, int workerCount) {
        this.handler = handler;
        this.workers = workers;
        this.workerCount = workerCount;
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
        String from = SmsAddress.normalize(deliverSm.getSourceAddr(), deliverSm.getSourceAddrTon());
        String to = SmsAddress.normalize(deliverSm.getDestAddress(), deliverSm.getDestAddrTon());
        int messageType = deliverSm.getEsmClass() & ESM_MESSAGE_TYPE;
        if (messageType == ESM_SMSC_DELIVERY_RECEIPT || messageType == ESM_INTERMEDIATE_NOTIFICATION) {
            SmsDeliveryReceipt receipt = receipt(deliverSm, from, to);
            handOver(() -> handler.onDeliveryReceipt(receipt), "Delivery receipt " + receipt.state()
                    + " for SMSC message " + receipt.smscMessageId(), from, to);
            return;
        }
        if (messageType != 0) {
            LOG.debug("deliver_sm with esm_class 0x{} ({} -> {}, SMSC message {}) acknowledged and ignored: an SME "
                    + "acknowledgement, not a receipt", String.format("%02X", deliverSm.getEsmClass()), from, to,
                    receiptedMessageId(deliverSm));
            return;
        }
        String smscId = optionalReceiptedId(deliverSm);
        UserDataHeader.Concat concat;
        String text;
        try {
            byte[] shortMessage = shortMessage(deliverSm);
            if (deliverSm.isUdhi()) {
                UserDataHeader.Parsed parsed = UserDataHeader.parse(shortMessage);
                concat = parsed.concat();
                shortMessage = parsed.payload();
            } else {
                concat = null;
            }
            text = SmsText.decode(shortMessage, deliverSm.getDataCoding());
        } catch (IllegalArgumentException e) {
            LOG.warn("Inbound SMS {} -> {} (SMSC id {}) answered {}: {}", from, to, smscId,
                    SmppStatus.describe(SmppStatus.ESME_RX_P_APPN), e.getMessage());
            throw new ProcessRequestException(e.getMessage(), SmppStatus.ESME_RX_P_APPN);
        }
        if (concat == null || concat.total() == 1) {
            deliver(new InboundSms(from, to, text, smscId), 1);
            return;
        }
        ConcatReassembler.Outcome outcome = reassembler.offer(from + "|" + to, concat, text);
        if (outcome instanceof ConcatReassembler.Pending pending) {
            LOG.debug("Inbound SMS part {}/{} {} -> {} (reference {}) kept; {} of {} parts here", concat.sequence(),
                    concat.total(), from, to, concat.reference(), pending.received(), pending.total());
        } else if (outcome instanceof ConcatReassembler.Full full) {
            LOG.warn("Inbound SMS part {}/{} {} -> {} answered {}: {} concatenated SMS already in reassembly",
                    concat.sequence(), concat.total(), from, to, SmppStatus.describe(SmppStatus.ESME_RX_T_APPN),
                    full.pending());
            throw new ProcessRequestException("reassembly buffer full", SmppStatus.ESME_RX_T_APPN);
        } else {
            ConcatReassembler.Complete complete = (ConcatReassembler.Complete) outcome;
            deliver(new InboundSms(from, to, complete.text(), smscId), concat.total());
            reassembler.release(complete.key());
        }
    }

    /** Runs the handler on a worker and waits for its answer; returns normally only when it took the SMS. */
    private void deliver(InboundSms sms, int parts) throws ProcessRequestException {
        String what = "Inbound SMS";
        handOver(() -> handler.onSms(sms), what + " (SMSC id " + sms.smscMessageId() + ")", sms.sourceNumber(),
                sms.destinationNumber());
        LOG.info("{} {} -> {} ({} part(s), SMSC id {}) taken", what, sms.sourceNumber(), sms.destinationNumber(),
                parts, sms.smscMessageId());
    }

    /** A call of the handler that may refuse what it is given. */
    @FunctionalInterface
    private interface HandlerCall {
        void run() throws InboundSmsRejected;
    }

    /**
     * Runs a handler call on a worker and waits for its answer; returns normally only when the handler took what it
     * was given. {@code what} names it in the log lines of a refusal.
     */
    private void handOver(HandlerCall call, String what, String from, String to) throws ProcessRequestException {
        Future<?> taken;
        try {
            taken = workers.submit(() -> {
                call.run();
                return null;
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("{} {} -> {} answered {}: all {} inbound workers are busy", what, from, to,
                    SmppStatus.describe(SmppStatus.ESME_RX_T_APPN), workerCount);
            throw new ProcessRequestException("inbound workers busy", SmppStatus.ESME_RX_T_APPN);
        }
        try {
            taken.get();
        } catch (ExecutionException e) {
            throw refusal(what, from, to, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessRequestException("interrupted", SmppStatus.ESME_RX_T_APPN);
        }
    }

    private static ProcessRequestException refusal(String what, String from, String to, Throwable cause) {
        if (cause instanceof InboundSmsRejected rejected) {
            LOG.info("{} {} -> {} answered {}: {}", what, from, to, SmppStatus.describe(rejected.commandStatus()),
                    rejected.getMessage());
            return new ProcessRequestException(rejected.getMessage(), rejected.commandStatus());
        }
        // a bug in the handler must not lose the message: a temporary error makes the SMSC try again later
        LOG.error("{} {} -> {} answered {}: the handler failed", what, from, to,
                SmppStatus.describe(SmppStatus.ESME_RX_T_APPN), cause);
        return new ProcessRequestException("handler failed", SmppStatus.ESME_RX_T_APPN);
    }

    /**
     * A receipt as the SMSC sent it: the reported message's id from receipted_message_id (else the text's
     * {@code id:}), its state from message_state (else the text's {@code stat:}); a state found nowhere is PENDING.
     */
    static SmsDeliveryReceipt receipt(DeliverSm deliverSm, String from, String to) {
        String id = optionalReceiptedId(deliverSm);
        OptionalParameter state = deliverSm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE);
        if (state instanceof OptionalParameter.Byte messageState) {
            int value = messageState.getValue() & 0xFF;
            String name;
            try {
                name = MessageState.valueOf((byte) value).name();
            } catch (IllegalArgumentException e) {
                name = "message_state " + value;
            }
            return new SmsDeliveryReceipt(id != null ? id : textReceipt(deliverSm).map(DeliveryReceipt::getId)
                    .orElse(null), SmsDeliveryReceipt.outcomeOfMessageState(value), name, from, to);
        }
        Optional<DeliveryReceipt> text = textReceipt(deliverSm);
        String stat = text.map(r -> r.getFinalStatus() == null ? null : r.getFinalStatus().name()).orElse("UNKNOWN");
        return new SmsDeliveryReceipt(id != null ? id : text.map(DeliveryReceipt::getId).orElse(null),
                SmsDeliveryReceipt.outcomeOfStat(stat), stat, from, to);
    }

    /** The receipt text of the short message (SMPP 3.4 appendix B), when it is one. */
    private static Optional<DeliveryReceipt> textReceipt(DeliverSm deliverSm) {
        try {
            return Optional.of(deliverSm.getShortMessageAsDeliveryReceipt());
        } catch (Exception e) { // jSMPP throws InvalidDeliveryReceiptException, or a runtime one on odd text
            return Optional.empty();
        }
    }

    /** short_message, or the message_payload TLV that an SMSC may use instead for longer texts. */
    private static byte[] shortMessage(DeliverSm deliverSm) {
        byte[] shortMessage = deliverSm.getShortMessage();
        if (shortMessage != null && shortMessage.length > 0) {
            return shortMessage;
        }
        OptionalParameter payload = deliverSm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
        if (payload instanceof OptionalParameter.OctetString octets) {
            return octets.getValue();
        }
        return new byte[0];
    }

    private static String optionalReceiptedId(DeliverSm deliverSm) {
        OptionalParameter id = deliverSm.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
        return id instanceof OptionalParameter.COctetString text ? text.getValueAsString() : null;
    }

    /** The receipted_message_id TLV, else the "id:" field of the receipt text. */
    private static String receiptedMessageId(DeliverSm deliverSm) {
        String id = optionalReceiptedId(deliverSm);
        if (id != null) {
            return id;
        }
        try {
            return deliverSm.getShortMessageAsDeliveryReceipt().getId();
        } catch (Exception e) {
            return "(unreadable receipt)";
        }
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {
        LOG.debug("alert_notification for {} ignored", alertNotification.getSourceAddr());
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        LOG.warn("data_sm {} -> {} answered {}: the link takes MO SMS as deliver_sm only", dataSm.getSourceAddr(),
                dataSm.getDestAddress(), SmppStatus.describe(SmppStatus.ESME_RINVCMDID));
        throw new ProcessRequestException("data_sm is not supported", SmppStatus.ESME_RINVCMDID);
    }
}
