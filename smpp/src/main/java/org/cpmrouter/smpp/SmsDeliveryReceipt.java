package org.cpmrouter.smpp;

import java.util.Objects;

/**
 * A delivery receipt from the SMSC (deliver_sm with esm_class "SMSC delivery receipt" or "intermediate delivery
 * notification", SMPP 3.4 section 5.2.12) for an SMS the link submitted with registered_delivery.
 *
 * @param smscMessageId     the id the SMSC gave the submit_sm it reports on ({@code receipted_message_id}, else
 *                          the {@code id:} field of the receipt text), or null when it named none
 * @param outcome           what the receipt says, read from the {@code message_state} TLV, else the {@code stat:}
 *                          field of the text
 * @param state             that state as the SMSC wrote it ({@code DELIVRD}, {@code UNDELIV}, ...), for the log
 * @param sourceNumber      the receipt's source_addr: the handset the SMS was sent to
 * @param destinationNumber the receipt's destination_addr: who sent the SMS
 */
public record SmsDeliveryReceipt(String smscMessageId, Outcome outcome, String state, String sourceNumber,
        String destinationNumber) {

    /** What a receipt means for the message it reports on. */
    public enum Outcome {
        /** Delivered to the handset (DELIVRD, message_state DELIVERED). */
        DELIVERED,
        /** Will never be delivered (UNDELIV, EXPIRED, DELETED, REJECTD and their message_state values). */
        FAILED,
        /** Not final yet, or the SMSC does not know (ENROUTE, ACCEPTD, UNKNOWN, SCHEDULED, SKIPPED). */
        PENDING
    }

    public SmsDeliveryReceipt {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(state, "state");
    }

    /** The outcome of a {@code stat:} value of a receipt text (SMPP 3.4 appendix B), PENDING for any other. */
    public static Outcome outcomeOfStat(String stat) {
        return switch (stat == null ? "" : stat.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "DELIVRD" -> Outcome.DELIVERED;
            case "UNDELIV", "EXPIRED", "DELETED", "REJECTD" -> Outcome.FAILED;
            default -> Outcome.PENDING;
        };
    }

    /** The outcome of a {@code message_state} TLV value (SMPP 3.4 section 5.2.28), PENDING for any other. */
    public static Outcome outcomeOfMessageState(int messageState) {
        return switch (messageState) {
            case 2 -> Outcome.DELIVERED;                // DELIVERED
            case 3, 4, 5, 8 -> Outcome.FAILED;          // EXPIRED, DELETED, UNDELIVERABLE, REJECTED
            default -> Outcome.PENDING;                 // SCHEDULED, ENROUTE, ACCEPTED, UNKNOWN, SKIPPED
        };
    }
}
