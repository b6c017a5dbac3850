package org.cpmrouter.smpp.testpeer;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.cpmrouter.smpp.ConcatReassembler;
import org.cpmrouter.smpp.SmppStatus;
import org.cpmrouter.smpp.SmsAddress;
import org.cpmrouter.smpp.SmsText;
import org.cpmrouter.smpp.UserDataHeader;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;

/**
 * A handset simulator for the {@link SmscTestPeer}: binds as system_id {@value SmscTestPeer#HANDSET_SYSTEM_ID}
 * with its number as address_range, sends SMS into the CPM world (submit_sm, relayed to the application) and
 * receives the SMS addressed to its number (deliver_sm), reassembled.
 */
public final class HandsetClient implements AutoCloseable {

    /**
     * An SMS that reached the handset.
     *
     * @param from the sender, {@code +} and digits when international
     * @param to   the handset's number as the SMSC gave it
     * @param text the whole text
     */
    public record ReceivedSms(String from, String to, String text) {
    }

    private final SMPPSession session;
    private final SmsAddress number;
    private final ConcatReassembler reassembler = new ConcatReassembler();
    private final Journal<ReceivedSms> received = new Journal<>("SMS to the handset");
    private final List<Consumer<ReceivedSms>> observers = new CopyOnWriteArrayList<>();

    private HandsetClient(SMPPSession session, SmsAddress number) {
        this.session = session;
        this.number = number;
    }

    /**
     * Binds (bind_transceiver) to the test SMSC at host:port as the handset with this E.164 number.
     *
     * @param timeoutMs how long the bind and each later request may wait for an answer
     * @throws IOException when the SMSC cannot be reached or refuses the bind
     */
    public static HandsetClient bind(String host, int port, String e164Number, long timeoutMs) throws IOException {
        SmsAddress number = SmsAddress.parseDestination(e164Number);
        if (number.ton() != TypeOfNumber.INTERNATIONAL) {
            throw new IllegalArgumentException("handset number '" + e164Number + "' is not E.164 (+15559990000)");
        }
        SMPPSession session = new SMPPSession();
        session.setTransactionTimer(timeoutMs);
        HandsetClient handset = new HandsetClient(session, number);
        session.setMessageReceiverListener(handset.new Receiver());
        session.connectAndBind(host, port, new BindParameter(BindType.BIND_TRX, SmscTestPeer.HANDSET_SYSTEM_ID, "",
                "", number.ton(), number.npi(), e164Number), timeoutMs);
        return handset;
    }

    /** The handset's number, {@code +} and digits. */
    public String number() {
        return "+" + number.address();
    }

    /**
     * Sends an SMS from this handset (in parts when the text needs them) and returns the SMSC's submit_sm_resp
     * command_status: 0 when every part was accepted, else that of the first part that was not.
     *
     * @throws IOException when the session is lost or a part gets no answer in time
     */
    public int send(String to, String text) throws IOException {
        SmsAddress destination = SmsAddress.parseDestination(to);
        SmsText.Split split = SmsText.split(text);
        int total = split.segments().size();
        int reference = ThreadLocalRandom.current().nextInt(256);
        for (int part = 1; part <= total; part++) {
            byte[] payload = SmsText.encode(split.segments().get(part - 1), split.encoding());
            byte[] shortMessage = total == 1 ? payload : UserDataHeader.withConcat(reference, total, part, payload);
            int status = submit(destination, total == 1 ? 0 : UserDataHeader.ESM_CLASS_UDHI,
                    split.encoding().dataCoding(), shortMessage);
            if (status != SmppStatus.ESME_ROK) {
                return status;
            }
        }
        return SmppStatus.ESME_ROK;
    }

    private int submit(SmsAddress destination, int esmClass, int dataCoding, byte[] shortMessage)
            throws IOException {
        try {
            session.submitShortMessage(null, number.ton(), number.npi(), number.address(), destination.ton(),
                    destination.npi(), destination.address(), new ESMClass(esmClass), (byte) 0, (byte) 0, null, null,
                    new RegisteredDelivery(0), (byte) 0, new RawDataCoding((byte) dataCoding), (byte) 0,
                    shortMessage);
            return SmppStatus.ESME_ROK;
        } catch (NegativeResponseException e) {
            return e.getCommandStatus();
        } catch (ResponseTimeoutException e) {
            throw new IOException("no submit_sm_resp within " + session.getTransactionTimer() + " ms", e);
        } catch (PDUException | InvalidResponseException e) {
            throw new IOException("submit_sm failed: " + e.getMessage(), e);
        }
    }

    /** Calls {@code observer} with each whole SMS that reaches the handset. */
    public void onSms(Consumer<ReceivedSms> observer) {
        observers.add(observer);
    }

    /** The first SMS, already received or still to come, that matches. */
    public ReceivedSms awaitSms(Predicate<ReceivedSms> matching, long timeoutMs)
            throws InterruptedException, TimeoutException {
        return received.await(matching, timeoutMs);
    }

    /** True while the session is bound. */
    public boolean isBound() {
        return session.getSessionState().isBound();
    }

    @Override
    public void close() {
        session.unbindAndClose();
    }

    private void take(ReceivedSms sms) {
        received.add(sms);
        observers.forEach(observer -> observer.accept(sms));
    }

    /** deliver_sm to the handset: decode, reassemble, hand over. */
    private final class Receiver implements MessageReceiverListener {

        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
            String from = SmsAddress.normalize(deliverSm.getSourceAddr(), deliverSm.getSourceAddrTon());
            String to = SmsAddress.normalize(deliverSm.getDestAddress(), deliverSm.getDestAddrTon());
            try {
                byte[] payload = deliverSm.getShortMessage();
                UserDataHeader.Concat concat = null;
                if (deliverSm.isUdhi()) {
                    UserDataHeader.Parsed parsed = UserDataHeader.parse(payload);
                    concat = parsed.concat();
                    payload = parsed.payload();
                }
                String text = SmsText.decode(payload, deliverSm.getDataCoding());
                if (concat == null || concat.total() == 1) {
                    take(new ReceivedSms(from, to, text));
                    return;
                }
                if (reassembler.offer(from + "|" + to, concat, text)
                        instanceof ConcatReassembler.Complete complete) {
                    reassembler.release(complete.key());
                    take(new ReceivedSms(from, to, complete.text()));
                }
            } catch (IllegalArgumentException e) {
                throw new ProcessRequestException(e.getMessage(), SmppStatus.ESME_RX_P_APPN);
            }
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification alertNotification) {
            // nothing to do: a handset has no use for alerts
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("data_sm is not supported", SmppStatus.ESME_RINVCMDID);
        }
    }
}
