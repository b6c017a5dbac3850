package org.cpmrouter.routes.interworking;

import java.util.Optional;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;
import org.cpmrouter.smpp.InboundSms;
import org.cpmrouter.smpp.InboundSmsHandler;
import org.cpmrouter.smpp.InboundSmsRejected;
import org.cpmrouter.smpp.SmsDeliveryReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS user → CPM User direction of the Interworking Function: an SMS from the SMSC ({@code deliver_sm})
 * becomes a CPM Message from the SMS user's {@code tel:} number, carrying the Non-CPM Communication Service
 * Identifier {@code SMS} so that a reply goes back by SMS (clause 5.2.2.1 NOTE 1), with a new IMDN Message-ID
 * (logged next to the SMSC's message id, for status reports). It enters the SIP/IP Core with its originating leg
 * done, so the core routes it by address type to the recipient's terminating Participating Function like any
 * other message.
 *
 * <p>Delivery receipts for SMS the router sent go to {@link SmsReceipts}, which reports them to the CPM senders.
 *
 * <p>The SMSC is answered after the CPM side answered: success acknowledges the SMS; a temporary failure (the
 * recipient is not registered, a timeout, an overload) answers {@code ESME_RX_T_APPN}, so the SMSC keeps the SMS
 * and retries; a permanent refusal answers {@code ESME_RX_P_APPN}. Nothing is acknowledged that was not delivered.
 */
public final class SmsOriginatedDelivery implements InboundSmsHandler {

    /** deliver_sm_resp statuses (SMPP 3.4 section 5.1.3). */
    static final int ESME_RINVDSTADR = 0x0000000B;
    static final int ESME_RX_T_APPN = 0x00000064;
    static final int ESME_RX_P_APPN = 0x00000065;

    private static final Logger LOG = LoggerFactory.getLogger(SmsOriginatedDelivery.class);

    private final CamelContext context;
    private final ProducerTemplate template;
    private final String coreEndpoint;
    private final SubscriberStore subscribers;
    private final CpmAddresses addresses;
    private final NonCpmServiceIdentifier identifier;
    private final SmsReceipts receipts;

    SmsOriginatedDelivery(CamelContext context, String coreEndpoint, SubscriberStore subscribers,
                          CpmAddresses addresses, NonCpmServiceIdentifier identifier, SmsReceipts receipts) {
        this.context = context;
        this.template = context.createProducerTemplate();
        this.coreEndpoint = coreEndpoint;
        this.subscribers = subscribers;
        this.addresses = addresses;
        this.identifier = identifier;
        this.receipts = receipts;
    }

    /** A delivery receipt for an SMS this router sent: a report to the CPM Message's sender, when it settles one. */
    @Override
    public void onDeliveryReceipt(SmsDeliveryReceipt receipt) throws InboundSmsRejected {
        receipts.onReceipt(receipt);
    }

    @Override
    public void onSms(InboundSms sms) throws InboundSmsRejected {
        String smsUser = addresses.canonical("tel:" + sms.sourceNumber());
        Optional<Subscriber> recipient = recipient(sms.destinationNumber());
        if (smsUser == null || recipient.isEmpty()) {
            LOG.info("interworking SMS from={} to={} smscId={} refused: no CPM user has that number",
                    LogText.of(smsUser), LogText.of(sms.destinationNumber()), LogText.of(sms.smscMessageId()));
            throw new InboundSmsRejected(ESME_RINVDSTADR, "no CPM user has number " + sms.destinationNumber());
        }
        String to = recipient.get().publicIdentity();
        String messageId = UUID.randomUUID().toString();
        Exchange exchange = request(smsUser, to, sms.text(), messageId);
        String callId = exchange.getMessage().getHeader("Call-ID", String.class);
        template.send(coreEndpoint, exchange);
        SipOutcome outcome = SipOutcome.of(exchange);
        LOG.info("interworking callId={} SMS from={} to={} smscId={} messageId={}: {} {}", LogText.of(callId),
                LogText.of(smsUser), to, LogText.of(sms.smscMessageId()), messageId, outcome.status(),
                LogText.of(outcome.reason()));
        if (!outcome.isSuccess()) {
            throw new InboundSmsRejected(temporary(outcome.status()) ? ESME_RX_T_APPN : ESME_RX_P_APPN,
                    outcome.status() + " " + outcome.reason());
        }
    }

    /** A failure the SMSC should retry: the recipient may be reachable later. */
    static boolean temporary(int status) {
        return status >= 500 || status == 408 || status == 480 || status == 486;
    }

    private Optional<Subscriber> recipient(String number) {
        Optional<Subscriber> found = Optional.ofNullable(addresses.canonical("tel:" + number))
                .flatMap(subscribers::findByIdentity);
        if (found.isEmpty() && !number.startsWith("+")) {
            found = Optional.ofNullable(addresses.canonical("tel:+" + number)).flatMap(subscribers::findByIdentity);
        }
        return found;
    }

    /** The CPM Message for one SMS, its originating leg already served (the SMS user has no Conversation Server). */
    private Exchange request(String smsUser, String recipient, String text, String messageId) {
        Exchange exchange = new DefaultExchange(context);
        var m = exchange.getMessage();
        m.setHeader(SipMessageConstants.METHOD, "MESSAGE");
        m.setHeader(SipMessageConstants.REQUEST_URI, recipient);
        m.setHeader("From", "<" + smsUser + ">");
        m.setHeader("To", "<" + recipient + ">");
        m.setHeader("Call-ID", UUID.randomUUID() + "@" + addresses.domain());
        m.setHeader("CSeq", "1 MESSAGE");
        m.setHeader("Content-Type", CpmHeaders.MESSAGE_CPIM);
        m.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + smsUser + ">");
        m.setHeader(CpmHeaders.P_ASSERTED_SERVICE, CpmHeaders.CPM_MSG_ICSI);
        m.setHeader(CpmHeaders.ACCEPT_CONTACT, CpmHeaders.CPM_MSG_ACCEPT_CONTACT);
        m.setHeader(CpmHeaders.CONVERSATION_ID, UUID.randomUUID().toString());
        m.setHeader(CpmHeaders.CONTRIBUTION_ID, UUID.randomUUID().toString());
        identifier.write(m, NonCpmServiceIdentifier.SMS);
        ServedUserMarker.handTo(m, smsUser, true);
        ServedUserMarker.markServed(m);
        m.setBody(CpimMessage.builder().from(smsUser).to(recipient).text(text).messageId(messageId)
                .dispositionNotification(null).build().toBytes());
        return exchange;
    }
}
