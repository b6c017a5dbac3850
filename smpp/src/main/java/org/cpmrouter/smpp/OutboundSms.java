package org.cpmrouter.smpp;

import java.util.Objects;

/**
 * One text to send to an SMS user.
 *
 * @param sourceNumber      an E.164 number ({@code +15551230001}) or an alphanumeric sender of at most 11 GSM
 *                          characters ({@code CPMRouter})
 * @param destinationNumber an E.164 number ({@code +15559990000}) or a national/short number of digits
 * @param text              the text, any length up to 255 segments
 */
public record OutboundSms(String sourceNumber, String destinationNumber, String text) {

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
        return "OutboundSms[" + sourceNumber + " -> " + destinationNumber + ", " + text.length() + " chars]";
    }
}
