package org.cpmrouter.client;

import java.util.Map;
import java.util.Objects;

import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;

/**
 * A CPM Message to send.
 *
 * @param target                    the target address (SIP or tel URI)
 * @param text                      the text
 * @param conversationId            Conversation-ID to continue a thread, or null for a new one
 * @param inReplyToContributionId   Contribution-ID this message answers, or null
 * @param extraHeaders              further SIP headers, by name
 */
public record OutgoingMessage(String target, String text, String conversationId, String inReplyToContributionId,
                              Map<String, String> extraHeaders) {

    public OutgoingMessage {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(text, "text");
        extraHeaders = Map.copyOf(extraHeaders);
    }

    public static OutgoingMessage to(String target, String text) {
        return new OutgoingMessage(target, text, null, null, Map.of());
    }

    /**
     * A reply to a received message: to its sender (or to the group that relayed it), in the same conversation,
     * and carrying the Non-CPM Communication Service Identifier the original arrived with, if any, so that a reply
     * to an SMS user goes back by SMS (OMA CPM 5.2.2.1 NOTE 1).
     */
    public static OutgoingMessage replyTo(ReceivedMessage original, String text, NonCpmServiceIdentifier identifier) {
        String target = original.isGroupMessage() ? original.group() : original.sender();
        Map<String, String> extra = original.nonCpmService(identifier)
                .map(service -> Map.of(identifier.headerName(), service)).orElse(Map.of());
        return new OutgoingMessage(target, text, original.conversationId(), original.contributionId(), extra);
    }
}
