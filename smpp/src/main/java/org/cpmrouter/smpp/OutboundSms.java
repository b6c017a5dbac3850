package org.cpmrouter.smpp;

import java.util.Objects;

/**
 * One text to send to an SMS user.
 *
 * @param sourceNumber      an E.164 number ({@code +15551230001}) or an alphanumeric sender of at most 11 GSM
 *                          characters ({@code CPMRouter})
 * @param destinationNumber an E.164 number ({@code +15559990000}) or a national/short number of digits
 * @param text              the text, any length up to 255 segments
 * @param deliveryReceipt   whether to ask the SMSC for a delivery receipt (registered_delivery: success and
 *                          failure) for every part
 */
public record OutboundSms(String sourceNumber, String destinationNumber, String text, boolean deliveryReceipt) {

    /** One text to send, without a delivery receipt. */
    public OutboundSms(String sourceNumber, String destinationNumber, String text) {
        this(sourceNumber, destinationNumber, text, false);
    }

    public OutboundSms {
        Objects.requireNonNull(sourceNumber, "sourceNumber");
        Objects.requireNonNull(destinationNumber, "destinationNumber");
        Objects.requireNonNull(text, "text");
        SmsAddress.parseSource(sourceNumber);
        SmsAddress.parseDestination(destinationNumber);
        if (text.isEmpty()) {
            throw new IllegalArgumentException("SMS text is empty");
        }
    }

    /** Never prints the text. */
    @Override
    public String toString() {
        return "OutboundSms[" + sourceNumber + " -> " + destinationNumber + ", " + text.length() + " chars"
                + (deliveryReceipt ? ", receipt asked" : "") + "]";
    }
}
