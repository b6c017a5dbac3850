package org.cpmrouter.smpp;

import java.util.regex.Pattern;

import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;

/**
 * An SMS address as SMPP carries it: the digits or name, with its type of number (TON) and numbering plan (NPI).
 * E.164 numbers go on the wire without their {@code +}, marked international/ISDN; the {@code +} comes back when
 * the SMSC marks an address international.
 *
 * @param address the address field as sent (no {@code +})
 * @param ton     the type of number
 * @param npi     the numbering plan
 */
public record SmsAddress(String address, TypeOfNumber ton, NumberingPlanIndicator npi) {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
    /** 3GPP TS 23.040 9.1.2.5: an alphanumeric sender is at most 11 GSM characters. */
    private static final int MAX_ALPHANUMERIC = 11;

    /** A sender: an E.164 number, a national or short number of digits, or an alphanumeric name. */
    public static SmsAddress parseSource(String source) {
        SmsAddress number = parseNumber(source);
        if (number != null) {
            return number;
        }
        // printable ASCII only: source_addr is a C-octet string, and handsets show it from the GSM alphabet
        if (source.isBlank() || source.length() > MAX_ALPHANUMERIC || !SmsText.isGsm7(source)
                || source.chars().anyMatch(c -> c < 0x20 || c > 0x7E)
                || source.chars().noneMatch(Character::isLetter)) {
            throw new IllegalArgumentException("SMS source '" + source + "' is neither an E.164 number (+15551230001),"
                    + " digits, nor an alphanumeric sender of 1 to " + MAX_ALPHANUMERIC + " ASCII characters");
        }
        return new SmsAddress(source, TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN);
    }

    /** A recipient: an E.164 number or a national or short number of digits. */
    public static SmsAddress parseDestination(String destination) {
        SmsAddress number = parseNumber(destination);
        if (number == null) {
            throw new IllegalArgumentException("SMS destination '" + destination
                    + "' is neither an E.164 number (+15559990000) nor digits");
        }
        return number;
    }

    private static SmsAddress parseNumber(String value) {
        if (E164.matcher(value).matches()) {
            return new SmsAddress(value.substring(1), TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN);
        }
        if (DIGITS.matcher(value).matches()) {
            return new SmsAddress(value, TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN);
        }
        return null;
    }

    /** An address from the wire as the rest of the router writes it: {@code +} and digits when international. */
    public static String normalize(String address, byte ton) {
        if (address == null) {
            return "";
        }
        if (ton == TypeOfNumber.INTERNATIONAL.value() && !address.startsWith("+") && !address.isEmpty()) {
            return "+" + address;
        }
        return address;
    }
}
