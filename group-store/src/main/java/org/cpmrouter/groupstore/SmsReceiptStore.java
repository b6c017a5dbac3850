package org.cpmrouter.groupstore;

import java.util.Optional;

/**
 * SMS sent with a delivery receipt asked for, by the SMSC's message id of each part, until the receipts settle
 * them: the mapping that turns an SMSC delivery receipt into an IMDN for the CPM Message the SMS carried. Kept in
 * the store (not in memory only), so a receipt that comes after a restart, or to another node of a cluster, still
 * finds its message. Implementations are thread-safe.
 */
public interface SmsReceiptStore {

    /** Remembers an SMS (every part) until its receipts settle it or it expires. */
    void expect(AwaitedSmsReceipt awaited);

    /**
     * Takes the receipt of one part. A message is settled by its first failed part, or by the receipt of its last
     * part to be delivered: then it is returned and forgotten, so that each message is reported once. Empty when the
     * id is unknown or expired, when the message was settled already, or when other parts are still awaited.
     *
     * @param delivered true for a part delivered, false for a part that failed for good
     */
    Optional<AwaitedSmsReceipt> settle(String smscMessageId, boolean delivered);
}
