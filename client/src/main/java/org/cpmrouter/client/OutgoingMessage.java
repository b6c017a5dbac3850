package org.cpmrouter.client;

import java.util.Map;
import java.util.Objects;

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
}
