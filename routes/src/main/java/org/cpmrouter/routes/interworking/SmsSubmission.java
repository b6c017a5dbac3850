package org.cpmrouter.routes.interworking;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.reports.ReportedMessage;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpimFormatException;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.cpmrouter.smpp.OutboundSms;
import org.cpmrouter.smpp.SmppLink;
import org.cpmrouter.smpp.SmppSubmitException;
import org.cpmrouter.smpp.SubmitResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS leg of the Interworking Function: the text of a CPM Message goes to the SMSC as {@code submit_sm} (from
 * the sender's own number to the non-CPM user's number), and the SIP answer follows the SMSC's: {@code 202 Accepted}
 * once it has taken every part, else an error the sender can act on. Nothing is queued here: when the SMSC is
 * unreachable the sender gets {@code 503} with {@code Retry-After} and still holds its message. No thread waits
 * for the SMSC: the exchange completes from the link's response. When the sender asked for a delivery report
 * ({@code positive-delivery} or {@code negative-delivery}), the SMSC is asked for a delivery receipt and the SMS
 * awaits it in the {@link SmsReceipts} store.
 */
public final class SmsSubmission extends AsyncProcessorSupport {

    /** SMPP command_status values (SMPP 3.4 section 5.1.3) that get their own SIP answer. */
    static final int ESME_RINVDSTADR = 0x0000000B;
    static final int ESME_RMSGQFUL = 0x00000014;
    static final int ESME_RTHROTTLED = 0x00000058;

    private static final Logger LOG = LoggerFactory.getLogger(SmsSubmission.class);
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{3,20}");
    private static final String TEXT_PLAIN = "text/plain";
    private static final String IMDN = "message/imdn+xml";

    private final Supplier<SmppLink> link;
    private final SubscriberStore subscribers;
    private final CpmAddresses addresses;
    private final int retryAfterSeconds;
    private final SmsReceipts receipts;
    private final RouterMetrics metrics;

    /** @param receipts where an SMS whose sender asked for a delivery report awaits its SMSC receipt */
    SmsSubmission(Supplier<SmppLink> link, SubscriberStore subscribers, CpmAddresses addresses,
                  int retryAfterSeconds, SmsReceipts receipts, RouterMetrics metrics) {
        this.metrics = metrics;
        this.link = link;
        this.subscribers = subscribers;
        this.addresses = addresses;
        this.retryAfterSeconds = retryAfterSeconds;
        this.receipts = receipts;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        String callId = message.getHeader("Call-ID", "-", String.class);
        OutboundSms sms;
        Optional<ReportedMessage> reportable;
        try {
            // a receipt from the SMSC only when the sender asked for a delivery report (it costs the SMSC a message)
            reportable = ReportedMessage.of(message, target(message)).filter(ReportedMessage::askedForDelivery);
            sms = outbound(message, reportable.isPresent());
        } catch (SipResponseException e) {
            LOG.info("interworking callId={} service=SMS refused before the SMSC: {} {}", LogText.of(callId),
                    e.status(), e.reason());
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        CompletableFuture<SubmitResult> submitted = link.get().submit(sms);
        submitted.whenComplete((result, failure) -> {
            if (failure == null && reportable.isPresent()) {
                receipts.await(reportable.get(), result.messageIds());
            }
            answer(exchange, callId, sms, result, failure);
            callback.done(false);
        });
        return false;
    }

    private void answer(Exchange exchange, String callId, OutboundSms sms, SubmitResult result, Throwable failure) {
        if (failure == null) {
            LOG.info("interworking callId={} service=SMS to={} from={} accepted by the SMSC: parts={} encoding={}"
                    + " smscIds={}", LogText.of(callId), sms.destinationNumber(), sms.sourceNumber(),
                    result.segments(), result.encoding(), LogText.of(result.messageIds()));
            exchange.getMessage().setHeader(SipMessageConstants.STATUS_CODE, 202);
            exchange.getMessage().setHeader(SipMessageConstants.REASON_PHRASE, "Accepted");
            metrics.smsSubmission(true);
            RouterMetrics.markOutcome(exchange, RouterMetrics.Outcome.SMS);
            return;
        }
        metrics.smsSubmission(false);
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        SipResponseException refusal = cause instanceof SmppSubmitException e ? refusalFor(e)
                : new SipResponseException(500, "SMS interworking failed");
        LOG.info("interworking callId={} service=SMS to={} not accepted: {} {} ({})", LogText.of(callId),
                sms.destinationNumber(), refusal.status(), refusal.reason(), LogText.of(cause.getMessage()));
        exchange.setException(refusal);
    }

    /** What the sender is told when the SMSC did not take the message. */
    SipResponseException refusalFor(SmppSubmitException e) {
        List<String> retryAfter = List.of("Retry-After: " + retryAfterSeconds);
        return switch (e.kind()) {
            case UNAVAILABLE -> new SipResponseException(503, "SMSC unavailable", retryAfter);
            case TIMEOUT -> new SipResponseException(504, "SMSC did not answer");
            case REFUSED -> switch (e.commandStatus()) {
                case ESME_RINVDSTADR -> new SipResponseException(404, "SMSC: invalid destination number");
                case ESME_RMSGQFUL, ESME_RTHROTTLED -> new SipResponseException(503, "SMSC busy", retryAfter);
                default -> new SipResponseException(502, String.format(Locale.ROOT,
                        "SMSC refused the message (command_status 0x%08X)", e.commandStatus()));
            };
        };
    }

    /**
     * The SMS for a CPM Message: its text, the sender's number, the target's number.
     *
     * @throws SipResponseException 488 when the message cannot be an SMS (no text, no number on either side)
     */
    private OutboundSms outbound(Message message, boolean deliveryReceipt) {
        String target = target(message);
        String destination = number(target)
                .orElseThrow(() -> new SipResponseException(488, "No telephone number to send an SMS to"));
        String sender = addresses.canonical(message.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class));
        String source = Optional.ofNullable(sender).flatMap(subscribers::findByIdentity)
                .flatMap(SmsSubmission::firstNumber)
                .orElseThrow(() -> new SipResponseException(488, "Sender has no telephone number to send an SMS from"));
        return new OutboundSms(source, destination, text(message), deliveryReceipt);
    }

    private String target(Message message) {
        return addresses.canonical(message.getHeader(SipMessageConstants.REQUEST_URI, String.class));
    }

    private static Optional<String> firstNumber(Subscriber subscriber) {
        return subscriber.telAliases().stream().map(SmsSubmission::number).flatMap(Optional::stream).findFirst();
    }

    /** {@code tel:+15559990000} and {@code sip:+15559990000@host} give {@code +15559990000}. */
    static Optional<String> number(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        String user = uri.substring(uri.indexOf(':') + 1);
        int at = user.indexOf('@');
        if (at >= 0) {
            user = user.substring(0, at);
        }
        return NUMBER.matcher(user).matches() ? Optional.of(user) : Optional.empty();
    }

    /**
     * The text of the message: the CPIM payload when it is text, or a {@code text/plain} body as a plain SIP client
     * sends it (in its {@code charset}, UTF-8 when none or unknown).
     *
     * @throws SipResponseException 488 for anything else; a delivery receipt ({@code message/imdn+xml}, bare or in
     *     CPIM) with its own reason: the SMS user asked for no receipt and SMS has none to carry it
     */
    static String text(Message message) {
        byte[] body = message.getBody(byte[].class);
        String contentType = message.getHeader("Content-Type", "", String.class).toLowerCase(Locale.ROOT);
        String media = mediaType(contentType);
        if (media.equals(CpmHeaders.MESSAGE_CPIM)) {
            CpimMessage cpim;
            try {
                cpim = CpimMessage.parse(body == null ? new byte[0] : body);
            } catch (CpimFormatException e) {
                throw new SipResponseException(400, "Bad CPIM body");
            }
            String payload = mediaType(cpim.contentType().toLowerCase(Locale.ROOT));
            if (payload.equals(IMDN)) {
                throw receiptRefused();
            }
            if (!payload.equals(TEXT_PLAIN)) {
                throw new SipResponseException(488, "Only text can be sent by SMS");
            }
            return cpim.text();
        }
        if (media.equals(TEXT_PLAIN)) {
            return body == null ? "" : new String(body, CpimMessage.charsetOf(contentType));
        }
        if (media.equals(IMDN)) {
            throw receiptRefused();
        }
        throw new SipResponseException(488, "Only text can be sent by SMS");
    }

    private static SipResponseException receiptRefused() {
        return new SipResponseException(488, "A delivery receipt (message/imdn+xml) cannot be sent by SMS");
    }

    private static String mediaType(String contentType) {
        return contentType.split(";", 2)[0].trim();
    }
}
