package org.cpmrouter.smpp;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each deliver_sm from the SMSC into an {@link InboundSms} for the handler, and the handler's answer into
 * the deliver_sm_resp status. The handler runs on the link's bounded worker pool; jSMPP's processing thread waits
 * for it, because the deliver_sm_resp must carry its answer.
 */
final class InboundDispatcher implements MessageReceiverListener {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDispatcher.class);

    /** esm_class message type bits (SMPP 3.4 5.2.12): anything but 0 is a receipt or acknowledgement, not an MO. */
    private static final int ESM_MESSAGE_TYPE = 0x3C;

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
        if ((deliverSm.getEsmClass() & ESM_MESSAGE_TYPE) != 0) {
            LOG.debug("Delivery receipt (esm_class 0x{}) for SMSC message {} ({} -> {}) acknowledged and ignored",
                    String.format("%02X", deliverSm.getEsmClass()), receiptedMessageId(deliverSm), from, to);
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
        Future<?> taken;
        try {
            taken = workers.submit(() -> {
                handler.onSms(sms);
                return null;
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Inbound SMS {} -> {} answered {}: all {} inbound workers are busy", sms.sourceNumber(),
                    sms.destinationNumber(), SmppStatus.describe(SmppStatus.ESME_RX_T_APPN), workerCount);
            throw new ProcessRequestException("inbound workers busy", SmppStatus.ESME_RX_T_APPN);
        }
        try {
            taken.get();
            LOG.info("Inbound SMS {} -> {} ({} part(s), SMSC id {}) taken", sms.sourceNumber(),
                    sms.destinationNumber(), parts, sms.smscMessageId());
        } catch (ExecutionException e) {
            throw refusal(sms, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessRequestException("interrupted", SmppStatus.ESME_RX_T_APPN);
        }
    }

    private static ProcessRequestException refusal(InboundSms sms, Throwable cause) {
        if (cause instanceof InboundSmsRejected rejected) {
            LOG.info("Inbound SMS {} -> {} (SMSC id {}) answered {}: {}", sms.sourceNumber(),
                    sms.destinationNumber(), sms.smscMessageId(), SmppStatus.describe(rejected.commandStatus()),
                    rejected.getMessage());
            return new ProcessRequestException(rejected.getMessage(), rejected.commandStatus());
        }
        // a bug in the handler must not lose the message: a temporary error makes the SMSC try again later
        LOG.error("Inbound SMS {} -> {} (SMSC id {}) answered {}: the handler failed", sms.sourceNumber(),
                sms.destinationNumber(), sms.smscMessageId(), SmppStatus.describe(SmppStatus.ESME_RX_T_APPN), cause);
        return new ProcessRequestException("handler failed", SmppStatus.ESME_RX_T_APPN);
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
