package org.cpmrouter.smpp;

/**
 * A mobile-originated SMS, reassembled when it came in parts.
 *
 * @param sourceNumber      the sender; {@code +} and digits when the SMSC marked it international
 * @param destinationNumber the number the SMS was sent to; {@code +} and digits when international
 * @param text              the decoded text
 * @param smscMessageId     the id the SMSC gave the deliver_sm (of the last part), or null when it gave none
 */
public record InboundSms(String sourceNumber, String destinationNumber, String text, String smscMessageId) {

    /** Never prints the text. */
    @Override
    public String toString() {
        return "InboundSms[" + sourceNumber + " -> " + destinationNumber + ", " + text.length() + " chars, id "
                + smscMessageId + "]";
    }
}
