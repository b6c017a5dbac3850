package org.cpmrouter.routes.reports;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Message;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpimFormatException;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.cpmrouter.sip.urilist.RecipientListMessage;

/**
 * A CPM Message the network may report on (RFC 5438): what a report needs of it, never its content.
 *
 * @param callId                  its Call-ID, for the log
 * @param sender                  who sent it, and gets the report: for a group copy, the original sender
 * @param recipient               who it was for (the group member, the SMS user, the offline user)
 * @param messageId               its {@code imdn.Message-ID}, which the report names
 * @param dispositionNotification what its sender asked for, lower case ({@code positive-delivery}, ...)
 * @param dateTime                its CPIM {@code DateTime}, which the report repeats (null when it had none)
 */
public record ReportedMessage(String callId, String sender, String recipient, String messageId,
        Set<String> dispositionNotification, String dateTime) {

    private static final String IMDN = "message/imdn+xml";

    public ReportedMessage {
        dispositionNotification = Set.copyOf(dispositionNotification);
    }

    /**
     * The message a request carries, as the routes carry a MESSAGE (headers and body of the exchange): its sender
     * is the network-asserted one ({@code P-Asserted-Identity}; on a group copy, the original sender in
     * {@code Referred-By}), its Message-ID, Disposition-Notification and DateTime are read from the CPIM body.
     * Empty when nothing could be reported on it: it is itself a report ({@code message/imdn+xml}, bare or in CPIM),
     * it has no CPIM body or no Message-ID, or its sender asked for no report.
     */
    public static Optional<ReportedMessage> of(Message request, String recipient) {
        String asserted = uri(request.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class));
        String referredBy = uri(request.getHeader(CpmHeaders.REFERRED_BY, String.class));
        String sender = asserted != null && referredBy != null ? referredBy : asserted;
        String target = recipient != null ? recipient
                : request.getHeader(SipMessageConstants.REQUEST_URI, String.class);
        return of(request.getHeader("Call-ID", String.class), sender, target,
                request.getHeader("Content-Type", String.class), request.getBody(byte[].class));
    }

    /**
     * As {@link #of(Message, String)}, from the parts of a message kept elsewhere (a group message's journal).
     *
     * @param contentType the SIP Content-Type of the message
     * @param body        its SIP body
     */
    public static Optional<ReportedMessage> of(String callId, String sender, String recipient, String contentType,
                                               byte[] body) {
        if (sender != null && body != null) {
            // a URI-list service's copy: the message beside its recipient-list-history (RFC 5365)
            Optional<RecipientListMessage> listCopy = RecipientListMessage.parseCopy(contentType, body);
            if (listCopy.isPresent()) {
                contentType = listCopy.get().payloadContentType();
                body = listCopy.get().payload();
            }
        }
        if (sender == null || body == null || !CpmHeaders.MESSAGE_CPIM.equals(mediaType(contentType))) {
            return Optional.empty(); // a bare IMDN, or a plain text without CPIM: nothing asked for, or a report
        }
        CpimMessage cpim;
        try {
            cpim = CpimMessage.parse(body);
        } catch (CpimFormatException e) {
            return Optional.empty();
        }
        boolean notification = cpim.contentHeader("Content-Disposition")
                .map(d -> d.trim().toLowerCase(Locale.ROOT).startsWith("notification")).orElse(false);
        if (IMDN.equals(mediaType(cpim.contentType())) || notification) {
            return Optional.empty(); // never a report about a report
        }
        Optional<String> messageId = cpim.imdnMessageId();
        Set<String> asked = new LinkedHashSet<>();
        cpim.header(CpimMessage.IMDN_NS, "Disposition-Notification").ifPresent(values -> {
            for (String value : values.split(",")) {
                if (!value.isBlank()) {
                    asked.add(value.trim().toLowerCase(Locale.ROOT));
                }
            }
        });
        if (messageId.isEmpty() || messageId.get().isBlank() || asked.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ReportedMessage(callId, sender, recipient, messageId.get().trim(), asked,
                cpim.header("DateTime").orElse(null)));
    }

    /** The same message as sent to another recipient (one member of a group). */
    public ReportedMessage withRecipient(String otherRecipient) {
        return new ReportedMessage(callId, sender, otherRecipient, messageId, dispositionNotification, dateTime);
    }

    /** Whether the sender asked for the report of this status. */
    public boolean asked(ImdnStatus status) {
        return dispositionNotification.contains(status.notification());
    }

    /** Whether the sender asked for a delivery report of either kind (positive or negative). */
    public boolean askedForDelivery() {
        return asked(ImdnStatus.DELIVERED) || asked(ImdnStatus.FAILED);
    }

    /** The values asked for, in a stable order (for the store). */
    public List<String> dispositionNotificationList() {
        return dispositionNotification.stream().sorted().toList();
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** The URI of a name-addr ({@code "Alice" <sip:alice@x>;tag=1}), or the value itself; null for null. */
    private static String uri(String nameAddr) {
        if (nameAddr == null || nameAddr.isBlank()) {
            return null;
        }
        int lt = nameAddr.indexOf('<');
        int gt = nameAddr.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? nameAddr.substring(lt + 1, gt).trim() : nameAddr.split(";", 2)[0].trim();
    }
}
