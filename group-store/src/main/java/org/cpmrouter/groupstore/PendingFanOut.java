package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Objects;

/**
 * A group message the Controlling Function has accepted (answered 202) and not yet sent to every member: what it
 * needs to send the remaining copies after a restart. Kept until the last copy is answered.
 *
 * @param id           the accepted request's Call-ID (unique per accepted message)
 * @param groupUri     the Pre-defined Group
 * @param sender       the original sender's identity
 * @param headerLines  the request's headers that the copies carry, as {@code Name: value} lines, in order
 * @param body         the request's body (the CPIM message), unchanged
 * @param recipients   the members still to send to
 */
public record PendingFanOut(String id, String groupUri, String sender, List<String> headerLines, byte[] body,
                            List<String> recipients) {

    public PendingFanOut {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(groupUri, "groupUri");
        Objects.requireNonNull(sender, "sender");
        headerLines = List.copyOf(headerLines);
        body = body.clone();
        recipients = List.copyOf(recipients);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The same message with fewer members left. */
    public PendingFanOut withRecipients(List<String> remaining) {
        return new PendingFanOut(id, groupUri, sender, headerLines, body, remaining);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingFanOut p && id.equals(p.id) && groupUri.equals(p.groupUri)
                && sender.equals(p.sender) && headerLines.equals(p.headerLines)
                && java.util.Arrays.equals(body, p.body) && recipients.equals(p.recipients);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, groupUri, recipients);
    }

    /** Never shows the body. */
    @Override
    public String toString() {
        return "PendingFanOut[id=" + id + ", group=" + groupUri + ", sender=" + sender + ", remaining="
                + recipients.size() + "]";
    }
}
