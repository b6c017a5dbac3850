package org.cpmrouter.smpp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a text becomes short messages and back: the choice of alphabet, the split into segments, and the bytes of
 * each segment on the SMPP wire. Pure functions.
 *
 * <p>A text goes as GSM 7-bit (3GPP TS 23.038 default alphabet plus its extension table, where each extension
 * character takes two septets: the escape 0x1B and its code) when every character has a GSM code, and as UCS-2
 * otherwise. One SMS holds 160 septets or 70 UCS-2 units; a concatenated SMS spends 6 octets of each part on the
 * user data header (IEI 0x00, 8-bit reference), which leaves 153 septets or 67 units per part. A part never ends
 * between an escape and its code, nor between the two halves of a surrogate pair.
 */
public final class SmsText {

    /** Septets in a single GSM 7-bit SMS. */
    public static final int GSM7_SINGLE = 160;
    /** Septets in each part of a concatenated GSM 7-bit SMS. */
    public static final int GSM7_SEGMENT = 153;
    /** UTF-16 units in a single UCS-2 SMS. */
    public static final int UCS2_SINGLE = 70;
    /** UTF-16 units in each part of a concatenated UCS-2 SMS. */
    public static final int UCS2_SEGMENT = 67;
    /** The concatenation header counts parts in one octet. */
    public static final int MAX_SEGMENTS = 255;

    private static final int ESCAPE = 0x1B;
    private static final int NO_CODE = -1;

    /**
     * The GSM 7-bit default alphabet, indexed by septet value (3GPP TS 23.038 6.2.1). Position 0x1B is the escape
     * to the extension table and has no character of its own.
     */
    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅå"
            + "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ"
            + " !\"#¤%&'()*+,-./"
            + "0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNO"
            + "PQRSTUVWXYZÄÖÑÜ§"
            + "¿abcdefghijklmno"
            + "pqrstuvwxyzäöñüà";

    /** The extension table (3GPP TS 23.038 6.2.1.1): each character, then the code that follows the escape. */
    private static final char[][] EXTENSION = {
        {'\f', 0x0A}, {'^', 0x14}, {'{', 0x28}, {'}', 0x29}, {'\\', 0x2F},
        {'[', 0x3C}, {'~', 0x3D}, {']', 0x3E}, {'|', 0x40}, {'€', 0x65},
    };

    /** The result of {@link #split(String)}: the alphabet and the text of each part, in order. */
    public record Split(SmsEncoding encoding, List<String> segments) {
        public Split {
            segments = List.copyOf(segments);
        }

        /** True when the text needs a concatenated SMS. */
        public boolean concatenated() {
            return segments.size() > 1;
        }
    }

    private SmsText() {
    }

    /** True when every character of the text has a code in the GSM 7-bit default alphabet or its extension. */
    public static boolean isGsm7(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (septetsOf(text.charAt(i)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** GSM 7-bit when the text allows it, UCS-2 otherwise. */
    public static SmsEncoding encodingFor(String text) {
        return isGsm7(text) ? SmsEncoding.GSM7 : SmsEncoding.UCS2;
    }

    /** How many septets the text takes in GSM 7-bit; an extension character counts 2. */
    public static int septetCount(String text) {
        int septets = 0;
        for (int i = 0; i < text.length(); i++) {
            int n = septetsOf(text.charAt(i));
            if (n == 0) {
                throw new IllegalArgumentException("character U+" + hex4(text.charAt(i)) + " at " + i
                        + " has no GSM 7-bit code");
            }
            septets += n;
        }
        return septets;
    }

    /**
     * The parts the text is sent in: one when it fits a single SMS, else as many as it takes at 153 septets or 67
     * UCS-2 units each.
     *
     * @throws IllegalArgumentException when the text is empty or needs more than {@value #MAX_SEGMENTS} parts
     */
    public static Split split(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("SMS text is empty");
        }
        SmsEncoding encoding = encodingFor(text);
        List<String> segments = encoding == SmsEncoding.GSM7
                ? chunk(text, GSM7_SINGLE, GSM7_SEGMENT, true)
                : chunk(text, UCS2_SINGLE, UCS2_SEGMENT, false);
        if (segments.size() > MAX_SEGMENTS) {
            throw new IllegalArgumentException("SMS text of " + text.length() + " characters needs "
                    + segments.size() + " parts; a concatenated SMS has at most " + MAX_SEGMENTS);
        }
        return new Split(encoding, segments);
    }

    /**
     * Cuts the text into parts of at most {@code perSegment} units, or keeps it whole when it fits {@code single}.
     * GSM units are septets (a character is 1 or 2, so an escape pair stays together); UCS-2 units are UTF-16 code
     * units, taken a code point at a time so that a surrogate pair stays together.
     */
    private static List<String> chunk(String text, int single, int perSegment, boolean gsm) {
        int total = gsm ? septetCount(text) : text.length();
        if (total <= single) {
            return List.of(text);
        }
        List<String> segments = new ArrayList<>();
        int start = 0;
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int step = gsm ? 1 : Character.charCount(text.codePointAt(i));
            int units = gsm ? septetsOf(text.charAt(i)) : step;
            if (used + units > perSegment) {
                segments.add(text.substring(start, i));
                start = i;
                used = 0;
            }
            used += units;
            i += step;
        }
        segments.add(text.substring(start));
        return segments;
    }

    /**
     * The short_message octets of one part, without a user data header. GSM 7-bit goes unpacked, one septet per
     * octet: SMPP data_coding 0 means "SMSC default alphabet", which the SMSC packs into 7 bits for the radio leg.
     * UCS-2 goes as UTF-16BE.
     */
    public static byte[] encode(String segment, SmsEncoding encoding) {
        return encoding == SmsEncoding.GSM7 ? encodeGsm7(segment) : encodeUcs2(segment);
    }

    private static byte[] encodeGsm7(String text) {
        byte[] septets = new byte[septetCount(text)];
        int at = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int basic = basicCode(c);
            if (basic != NO_CODE) {
                septets[at++] = (byte) basic;
            } else {
                septets[at++] = ESCAPE;
                septets[at++] = (byte) extensionCode(c);
            }
        }
        return septets;
    }

    /** Each UTF-16 unit as two octets, high first; written by hand so that nothing is replaced on the way. */
    private static byte[] encodeUcs2(String text) {
        byte[] octets = new byte[text.length() * 2];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            octets[2 * i] = (byte) (c >> 8);
            octets[2 * i + 1] = (byte) c;
        }
        return octets;
    }

    /**
     * The text of a received short message (user data header already removed), by its SMPP data_coding: 0 GSM
     * 7-bit unpacked (the SMSC default alphabet), 1 IA5/ASCII, 3 Latin-1, 8 UCS-2; and 0xF0 to 0xF3 (GSM 7-bit with
     * a message class).
     *
     * @throws IllegalArgumentException for another data_coding, or octets that are not valid in it
     */
    public static String decode(byte[] payload, int dataCoding) {
        int dcs = dataCoding & 0xFF;
        switch (dcs) {
            case 0x00:
            case 0xF0:
            case 0xF1:
            case 0xF2:
            case 0xF3:
                return decodeGsm7(payload);
            case 0x01:
                return decodeAscii(payload);
            case 0x03:
                return new String(payload, StandardCharsets.ISO_8859_1);
            case 0x08:
                return decodeUcs2(payload);
            default:
                throw new IllegalArgumentException("data_coding 0x" + String.format("%02X", dcs)
                        + " is not supported (0 GSM 7-bit, 1 IA5, 3 Latin-1, 8 UCS-2)");
        }
    }

    /**
     * Unpacked septets to text. An escape followed by a code the extension table does not have stands for the
     * basic character of that code, as TS 23.038 asks of a receiver; a trailing escape is dropped.
     */
    public static String decodeGsm7(byte[] septets) {
        StringBuilder text = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int code = septet(septets, i);
            if (code != ESCAPE) {
                text.append(BASIC.charAt(code));
            } else if (i + 1 < septets.length) {
                int next = septet(septets, ++i);
                char extension = extensionChar(next);
                text.append(extension != 0 ? extension : BASIC.charAt(next));
            }
        }
        return text.toString();
    }

    private static int septet(byte[] septets, int i) {
        int code = septets[i] & 0xFF;
        if (code > 0x7F) {
            throw new IllegalArgumentException("octet 0x" + String.format("%02X", code) + " at " + i
                    + " is not a GSM 7-bit septet (data_coding 0 is sent unpacked, one septet per octet)");
        }
        return code;
    }

    private static String decodeAscii(byte[] payload) {
        for (int i = 0; i < payload.length; i++) {
            if ((payload[i] & 0x80) != 0) {
                throw new IllegalArgumentException("octet 0x" + String.format("%02X", payload[i] & 0xFF) + " at " + i
                        + " is not IA5/ASCII");
            }
        }
        return new String(payload, StandardCharsets.US_ASCII);
    }

    private static String decodeUcs2(byte[] payload) {
        if (payload.length % 2 != 0) {
            throw new IllegalArgumentException("UCS-2 short message has an odd number of octets: " + payload.length);
        }
        char[] units = new char[payload.length / 2];
        for (int i = 0; i < units.length; i++) {
            units[i] = (char) (((payload[2 * i] & 0xFF) << 8) | (payload[2 * i + 1] & 0xFF));
        }
        return new String(units);
    }

    /** 1 for a basic character, 2 for an extension character, 0 when GSM 7-bit cannot carry it. */
    private static int septetsOf(char c) {
        if (basicCode(c) != NO_CODE) {
            return 1;
        }
        return extensionCode(c) != NO_CODE ? 2 : 0;
    }

    private static int basicCode(char c) {
        return c == ESCAPE ? NO_CODE : BASIC.indexOf(c);
    }

    private static int extensionCode(char c) {
        for (char[] entry : EXTENSION) {
            if (entry[0] == c) {
                return entry[1];
            }
        }
        return NO_CODE;
    }

    private static char extensionChar(int code) {
        for (char[] entry : EXTENSION) {
            if (entry[1] == code) {
                return entry[0];
            }
        }
        return 0;
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }
}
