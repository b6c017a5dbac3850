package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Objects;

/**
 * An SMS sent with a delivery receipt asked for, and the CPM Message it carried: what the router needs to tell the
 * message's sender when the SMSC reports on it. Never the text.
 *
 * @param callId                  Call-ID of the CPM Message, for the log
 * @param sender                  who sent the CPM Message, and is to be told
 * @param recipient               the non-CPM user it went to ({@code tel:} URI)
 * @param messageId               its {@code imdn.Message-ID}
 * @param dispositionNotification what its sender asked for ({@code positive-delivery}, {@code negative-delivery})
 * @param dateTime                its CPIM {@code DateTime}, which an IMDN repeats (may be null)
 * @param smscIds                 the SMSC's message id of every part, in part order (at least one)
 * @param expiresAtMillis         when to stop waiting for its receipts (epoch milliseconds)
 */
public record AwaitedSmsReceipt(String callId, String sender, String recipient, String messageId,
        List<String> dispositionNotification, String dateTime, List<String> smscIds, long expiresAtMillis) {

    public AwaitedSmsReceipt {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(messageId, "messageId");
        dispositionNotification = List.copyOf(dispositionNotification);
        smscIds = List.copyOf(smscIds);
        if (smscIds.isEmpty()) {
            throw new IllegalArgumentException("an awaited receipt needs the SMSC id of at least one part");
        }
    }

    public boolean isExpiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }
}
