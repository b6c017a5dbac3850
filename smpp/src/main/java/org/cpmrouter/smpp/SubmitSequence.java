package org.cpmrouter.smpp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.jsmpp.GenericNackResponseException;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.SubmitSmResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submit_sm of one {@link OutboundSms}, part after part on one session, stopping at the first part that fails.
 * Runs on a submit worker: jSMPP's submit blocks until the response or the response timeout.
 */
final class SubmitSequence {

    private static final Logger LOG = LoggerFactory.getLogger(SubmitSequence.class);

    private final SMPPSession session;
    private final OutboundSms sms;
    private final SmsText.Split split;
    private final int reference;
    private final long responseTimeoutMs;
    private final SmsAddress source;
    private final SmsAddress destination;

    SubmitSequence(SMPPSession session, OutboundSms sms, SmsText.Split split, int reference, long responseTimeoutMs) {
        this.session = session;
        this.sms = sms;
        this.split = split;
        this.reference = reference;
        this.responseTimeoutMs = responseTimeoutMs;
        this.source = SmsAddress.parseSource(sms.sourceNumber());
        this.destination = SmsAddress.parseDestination(sms.destinationNumber());
    }

    SubmitResult run() throws SmppSubmitException {
        int total = split.segments().size();
        List<String> ids = new ArrayList<>(total);
        for (int part = 1; part <= total; part++) {
            ids.add(submitPart(part, total, ids));
        }
        // debug: the caller logs the outcome once, with its own context (the router: the Call-ID)
        LOG.debug("submit_sm {} -> {} accepted: {} part(s) {}{}, SMSC ids {}", sms.sourceNumber(),
                sms.destinationNumber(), total, split.encoding(), total > 1 ? " reference " + reference : "", ids);
        return new SubmitResult(ids, total, split.encoding());
    }

    /** A receipt for success and failure when the message asks for one, else none. */
    private RegisteredDelivery registeredDelivery() {
        return sms.deliveryReceipt() ? new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE)
                : new RegisteredDelivery(0);
    }

    private String submitPart(int part, int total, List<String> acceptedSoFar) throws SmppSubmitException {
        byte[] payload = SmsText.encode(split.segments().get(part - 1), split.encoding());
        byte[] shortMessage = total == 1 ? payload : UserDataHeader.withConcat(reference, total, part, payload);
        int esmClass = total == 1 ? 0 : UserDataHeader.ESM_CLASS_UDHI;
        try {
            SubmitSmResult result = session.submitShortMessage(null,
                    source.ton(), source.npi(), source.address(),
                    destination.ton(), destination.npi(), destination.address(),
                    new ESMClass(esmClass), (byte) 0, (byte) 0, null, null,
                    registeredDelivery(), (byte) 0,
                    new RawDataCoding((byte) split.encoding().dataCoding()), (byte) 0, shortMessage);
            return result.getMessageId();
        } catch (NegativeResponseException e) {
            throw failed(SmppSubmitException.refused(e.getCommandStatus(),
                    "SMSC refused submit_sm: " + SmppStatus.describe(e.getCommandStatus()) + where(part, total,
                            acceptedSoFar)));
        } catch (GenericNackResponseException e) {
            throw failed(SmppSubmitException.refused(e.getCommandStatus(),
                    "SMSC answered submit_sm with generic_nack: " + SmppStatus.describe(e.getCommandStatus())
                            + where(part, total, acceptedSoFar)));
        } catch (InvalidResponseException e) {
            throw failed(SmppSubmitException.refused(SmppStatus.ESME_RUNKNOWNERR,
                    "SMSC sent an invalid submit_sm_resp (" + e.getMessage() + ")" + where(part, total,
                            acceptedSoFar)));
        } catch (ResponseTimeoutException e) {
            throw failed(SmppSubmitException.timeout("SMSC did not answer submit_sm within " + responseTimeoutMs
                    + " ms; whether it took the part is unknown" + where(part, total, acceptedSoFar), e));
        } catch (PDUException e) {
            // OutboundSms checks its addresses, so this means a field jSMPP measures differently
            throw new IllegalArgumentException("submit_sm " + sms.sourceNumber() + " -> " + sms.destinationNumber()
                    + " cannot be encoded: " + e.getMessage(), e);
        } catch (IOException e) {
            throw failed(SmppSubmitException.unavailable("SMPP link lost while sending submit_sm (" + e.getMessage()
                    + ")" + where(part, total, acceptedSoFar), e));
        }
    }

    private SmppSubmitException failed(SmppSubmitException e) {
        LOG.debug("submit_sm {} -> {} failed {}: {}", sms.sourceNumber(), sms.destinationNumber(), e.kind(),
                e.getMessage());
        return e;
    }

    /** Which part failed, and which parts the SMSC had already taken (they cannot be recalled). */
    private static String where(int part, int total, List<String> acceptedSoFar) {
        if (total == 1) {
            return "";
        }
        return "; part " + part + " of " + total + (acceptedSoFar.isEmpty() ? ""
                : ", parts already accepted: SMSC ids " + acceptedSoFar);
    }
}
