package org.cpmrouter.smpp.testpeer;

import java.io.IOException;

import org.cpmrouter.smpp.SmppStatus;
import org.cpmrouter.smpp.SmsAddress;
import org.cpmrouter.smpp.SmsText;
import org.cpmrouter.smpp.UserDataHeader;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.MessageRequest;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.SMPPServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The test peer's deliver_sm and its reading of submit_sm, kept apart from its session bookkeeping. */
final class Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private Deliveries() {
    }

    /**
     * Sends one deliver_sm and returns the deliver_sm_resp command_status.
     *
     * @throws IOException when the session is gone or does not answer in time
     */
    static int deliver(SMPPServerSession session, SmsAddress source, SmsAddress destination, int esmClass,
            int dataCoding, byte[] shortMessage, String id) throws IOException {
        return deliver(session, source, destination, esmClass, dataCoding, shortMessage,
                new OptionalParameter.Receipted_message_id(id));
    }

    /** As {@link #deliver(SMPPServerSession, SmsAddress, SmsAddress, int, int, byte[], String)}, with these TLVs. */
    static int deliver(SMPPServerSession session, SmsAddress source, SmsAddress destination, int esmClass,
            int dataCoding, byte[] shortMessage, OptionalParameter... tlvs) throws IOException {
        try {
            session.deliverShortMessage(null, source.ton(), source.npi(), source.address(),
                    destination.ton(), destination.npi(), destination.address(), new ESMClass(esmClass), (byte) 0,
                    (byte) 0, new RegisteredDelivery(0), new RawDataCoding((byte) dataCoding), shortMessage, tlvs);
            return SmppStatus.ESME_ROK;
        } catch (NegativeResponseException e) {
            return e.getCommandStatus();
        } catch (ResponseTimeoutException e) {
            throw new IOException("no deliver_sm_resp within " + session.getTransactionTimer() + " ms", e);
        } catch (InvalidResponseException | PDUException e) {
            throw new IOException("deliver_sm failed: " + e.getMessage(), e);
        }
    }

    /** A mobile-terminated SMS to a handset simulator: the application's submit_sm, as deliver_sm. */
    static void toHandset(SMPPServerSession handset, SubmitSm submit, String to) {
        SmsAddress source = new SmsAddress(submit.getSourceAddr(), TypeOfNumber.valueOf(submit.getSourceAddrTon()),
                NumberingPlanIndicator.valueOf(submit.getSourceAddrNpi()));
        SmsAddress destination = new SmsAddress(submit.getDestAddress(),
                TypeOfNumber.valueOf(submit.getDestAddrTon()), NumberingPlanIndicator.valueOf(submit.getDestAddrNpi()));
        try {
            int status = deliver(handset, source, destination, submit.getEsmClass() & UserDataHeader.ESM_CLASS_UDHI,
                    submit.getDataCoding() & 0xFF, submit.getShortMessage(), "mt");
            LOG.info("MT SMS to handset {} delivered: {}", to, SmppStatus.describe(status));
        } catch (IOException | RuntimeException e) {
            LOG.warn("MT SMS to handset {} not delivered: {}", to, e.getMessage());
        }
    }

    /** What the peer records of an accepted application submit_sm. */
    static SubmittedSms describe(SubmitSm submit, String from, String to, String messageId) {
        UserDataHeader.Concat concat = null;
        byte[] payload = submit.getShortMessage();
        if (submit.isUdhi()) {
            UserDataHeader.Parsed parsed = UserDataHeader.parse(payload);
            concat = parsed.concat();
            payload = parsed.payload();
        }
        String text = SmsText.decode(payload, submit.getDataCoding());
        return new SubmittedSms(from, to, text, submit.getDataCoding() & 0xFF, submit.getEsmClass() & 0xFF,
                concat == null ? -1 : concat.reference(), concat == null ? 1 : concat.total(),
                concat == null ? 1 : concat.sequence(), messageId, submit.getRegisteredDelivery() & 0xFF);
    }

    /** A handset's part, as the command line shows it. */
    static SmscTestPeer.Relayed relayed(String from, String to, MessageRequest submit, int status) {
        String text;
        int part = 1;
        int parts = 1;
        try {
            byte[] payload = submit.getShortMessage();
            if ((submit.getEsmClass() & UserDataHeader.ESM_CLASS_UDHI) != 0) {
                UserDataHeader.Parsed parsed = UserDataHeader.parse(payload);
                payload = parsed.payload();
                if (parsed.concat() != null) {
                    part = parsed.concat().sequence();
                    parts = parsed.concat().total();
                }
            }
            text = SmsText.decode(payload, submit.getDataCoding());
        } catch (IllegalArgumentException e) {
            text = "(undecodable: " + e.getMessage() + ")";
        }
        return new SmscTestPeer.Relayed(from, to, text, part, parts, status);
    }
}
