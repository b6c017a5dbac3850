package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Objects;

/**
 * A message the Controlling Function (for a group's members) or the URI-list service (for a list's recipients) has
 * accepted (answered 202) and not yet sent to every recipient: what it needs to send the remaining copies after a
 * restart or on another node. Kept until the last copy is answered.
 *
 * @param id           the accepted request's Call-ID (unique per accepted message)
 * @param groupUri     the Pre-defined Group, or for a URI-list message the service's address (by which the
 *                     service knows its records)
 * @param sender       the original sender's identity
 * @param headerLines  the request's headers that the copies carry, as {@code Name: value} lines, in order
 * @param body         the copies' body: the request's (the CPIM message) unchanged, or a list copy's
 * @param recipients   the members or list targets still to send to (as read from a store: none of them has
 *                     answered yet)
 * @param owner        the router process sending it, as {@link ClusterNode#owner()} writes it; empty until a store
 *                     saves it (the store names its own node) and in records of versions before owners existed
 */
public record PendingFanOut(String id, String groupUri, String sender, List<String> headerLines, byte[] body,
                            List<String> recipients, String owner) {

    public PendingFanOut {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(groupUri, "groupUri");
        Objects.requireNonNull(sender, "sender");
        headerLines = List.copyOf(headerLines);
        body = body.clone();
        recipients = List.copyOf(recipients);
        owner = owner == null ? "" : owner;
    }

    /** A message no node owns yet: {@link PendingFanOutStore#save} makes the saving node its owner. */
    public PendingFanOut(String id, String groupUri, String sender, List<String> headerLines, byte[] body,
                         List<String> recipients) {
        this(id, groupUri, sender, headerLines, body, recipients, "");
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The same message with fewer members left. */
    public PendingFanOut withRecipients(List<String> remaining) {
        return new PendingFanOut(id, groupUri, sender, headerLines, body, remaining, owner);
    }

    /** The same message owned by another router process. */
    public PendingFanOut withOwner(String newOwner) {
        return new PendingFanOut(id, groupUri, sender, headerLines, body, recipients, newOwner);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingFanOut p && id.equals(p.id) && groupUri.equals(p.groupUri)
                && sender.equals(p.sender) && headerLines.equals(p.headerLines)
                && java.util.Arrays.equals(body, p.body) && recipients.equals(p.recipients) && owner.equals(p.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, groupUri, recipients);
    }

    /** Never shows the body. */
    @Override
    public String toString() {
        return "PendingFanOut[id=" + id + ", group=" + groupUri + ", sender=" + sender + ", remaining="
                + recipients.size() + ", owner=" + owner + "]";
    }
}
