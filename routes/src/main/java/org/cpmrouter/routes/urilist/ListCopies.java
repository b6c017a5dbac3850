package org.cpmrouter.routes.urilist;

import java.util.Map;

import org.apache.camel.Message;
import org.cpmrouter.groupstore.PendingFanOut;
import org.cpmrouter.routes.fanout.FanOut;
import org.cpmrouter.routes.path.HeaderLines;
import org.cpmrouter.routes.path.ListRecipients;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.cpmrouter.sip.urilist.RecipientListMessage;

/**
 * The copies of one message sent to a URI list, as RFC 5365 has them: each from the original sender (From and
 * P-Asserted-Identity; the list is no identity of its own, unlike a group), its originating leg done, addressed to
 * one target. What the copy carries depends on the target: a CPM user gets the message with the
 * {@code recipient-list-history} (the list without bcc entries) when the list disclosed anyone; a Pre-defined
 * Group gets the message alone, with the {@link ListRecipients} its Controlling Function leaves out; a non-CPM user
 * (SMS) or an address nobody here knows gets the message alone.
 */
final class ListCopies implements FanOut.Copies {

    private final String listService;
    private final String sender;
    private final PolicyGateway policy;
    /** The recorded body and its type: the copy of a CPM user. */
    private final String recordedType;
    /** The message alone: the copy of anyone else. */
    private final String payloadType;
    private final byte[] payload;

    /** The copies of a recorded (accepted, or resumed) list message. */
    ListCopies(PendingFanOut record, PolicyGateway policy) {
        this.listService = record.groupUri();
        this.sender = record.sender();
        this.policy = policy;
        Map<String, Object> headers = HeaderLines.headers(record.headerLines());
        this.recordedType = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                .map(e -> e.getValue().toString()).findFirst().orElse(CpmHeaders.MESSAGE_CPIM);
        var withHistory = RecipientListMessage.parseCopy(recordedType, record.body());
        this.payloadType = withHistory.map(RecipientListMessage::payloadContentType).orElse(recordedType);
        this.payload = withHistory.map(RecipientListMessage::payload).orElse(record.body());
    }

    @Override
    public String kind() {
        return "list";
    }

    @Override
    public void address(Message m, String target) {
        m.setHeader("From", "<" + sender + ">");
        m.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + sender + ">");
        m.removeHeader(CpmHeaders.REFERRED_BY);
        // the sender's originating leg was done before the list was accepted: the core routes the copy by its target
        ServedUserMarker.handTo(m, sender, true);
        ServedUserMarker.markServed(m);
        boolean group = policy.isGroup(target);
        if (!group) {
            m.removeHeader(ListRecipients.HEADER);
        }
        if (group || !policy.isSubscriber(target)) {
            m.setHeader("Content-Type", payloadType);
            m.setBody(payload);
        } else {
            m.setHeader("Content-Type", recordedType);
        }
    }

    @Override
    public String failure(String target, SipOutcome outcome) {
        return "URI list " + listService + " recipient answered " + outcome.status() + " " + outcome.reason();
    }
}
