package org.cpmrouter.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;
import org.cpmrouter.sip.urilist.RecipientList;
import org.cpmrouter.sip.urilist.RecipientListMessage;

/**
 * A CPM Message the client received.
 *
 * @param sender            who sent it: the network-asserted identity (P-Asserted-Identity), From without one;
 *                          for a group message, the original sender the Controlling Function names in Referred-By
 * @param group             the Pre-defined Group that relayed it (its URI), or null for a one-to-one message
 * @param groupName         the group's display name (from the From header), or null
 * @param text              the text to show the user
 * @param conversationId    Conversation-ID, to reply in the same thread
 * @param contributionId    Contribution-ID of this message, for InReplyTo-Contribution-ID
 * @param callId            the SIP Call-ID it arrived with
 * @param headers           every SIP header it carried, by name (first value)
 * @param body              the SIP body exactly as received
 */
public record ReceivedMessage(String sender, String group, String groupName, String text, String conversationId,
                              String contributionId, String callId, Map<String, String> headers, byte[] body) {

    public ReceivedMessage {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public boolean isGroupMessage() {
        return group != null;
    }

    /**
     * The Non-CPM Communication Service Identifier the message arrived with (SMS for a message from an SMS user), if
     * any. Kept for the reply, never shown to the user (OMA CPM 5.2.2.1 NOTE 2).
     */
    public Optional<String> nonCpmService(NonCpmServiceIdentifier identifier) {
        try {
            return identifier.parse(header(identifier.headerName()).orElse(null));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /**
     * The recipients a URI-list service showed with this message (its {@code recipient-list-history}, RFC 5364:
     * the list's to and cc entries, never its bcc ones), when it came through one that disclosed any.
     */
    public Optional<List<String>> listRecipients() {
        return RecipientListMessage.parseCopy(header("Content-Type").orElse(null), body)
                .filter(copy -> copy.list() != null)
                .map(copy -> copy.list().entries().stream().map(RecipientList.Entry::uri).toList());
    }

    /** The CPIM {@code To} the sender wrote (a group's or a URI-list service's address for a message to many). */
    public Optional<String> cpimTo() {
        String type = header("Content-Type").orElse(null);
        byte[] cpim = RecipientListMessage.parseCopy(type, body).map(RecipientListMessage::payload).orElse(body);
        try {
            return CpimMessage.parse(cpim).toUri();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A header by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }
}
