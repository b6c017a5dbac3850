package org.cpmrouter.smpp;

import java.util.Arrays;

/**
 * The user data header of a concatenated SMS (3GPP TS 23.040 9.2.3.24.1), at the start of short_message when
 * esm_class has the UDHI bit (0x40). The link writes the 8-bit reference form (IEI 0x00) and reads both it and
 * the 16-bit form (IEI 0x08); other information elements are skipped.
 */
public final class UserDataHeader {

    /** esm_class bit saying that short_message starts with a user data header. */
    public static final int ESM_CLASS_UDHI = 0x40;
    /** Length of the 8-bit reference concatenation header: UDHL, IEI, IEDL, reference, total, sequence. */
    public static final int CONCAT_8BIT_LENGTH = 6;

    private static final int IEI_CONCAT_8BIT = 0x00;
    private static final int IEI_CONCAT_16BIT = 0x08;

    /**
     * Where a part belongs.
     *
     * @param reference the same for every part of one message (0-255, or 0-65535 in the 16-bit form)
     * @param total     how many parts the message has
     * @param sequence  this part's number, from 1
     */
    public record Concat(int reference, int total, int sequence) {
    }

    /**
     * A received short_message taken apart.
     *
     * @param concat  the concatenation header, or null when there is none
     * @param payload the octets after the header
     */
    public record Parsed(Concat concat, byte[] payload) {
    }

    private UserDataHeader() {
    }

    /** {@code 05 00 03 ref total seq} followed by the payload. */
    public static byte[] withConcat(int reference, int total, int sequence, byte[] payload) {
        if (total < 1 || total > SmsText.MAX_SEGMENTS || sequence < 1 || sequence > total) {
            throw new IllegalArgumentException("part " + sequence + " of " + total + " is not a valid concatenation");
        }
        byte[] message = new byte[CONCAT_8BIT_LENGTH + payload.length];
        message[0] = CONCAT_8BIT_LENGTH - 1;
        message[1] = IEI_CONCAT_8BIT;
        message[2] = 3;
        message[3] = (byte) reference;
        message[4] = (byte) total;
        message[5] = (byte) sequence;
        System.arraycopy(payload, 0, message, CONCAT_8BIT_LENGTH, payload.length);
        return message;
    }

    /**
     * Splits a short_message that starts with a user data header into its concatenation element and payload.
     *
     * @throws IllegalArgumentException when the header runs past the message or an element past the header
     */
    public static Parsed parse(byte[] shortMessage) {
        if (shortMessage.length == 0) {
            throw new IllegalArgumentException("esm_class says UDHI but short_message is empty");
        }
        int headerEnd = 1 + (shortMessage[0] & 0xFF);
        if (headerEnd > shortMessage.length) {
            throw new IllegalArgumentException("user data header of " + (headerEnd - 1)
                    + " octets is longer than the short_message of " + shortMessage.length);
        }
        Concat concat = null;
        int at = 1;
        while (at + 2 <= headerEnd) {
            int iei = shortMessage[at] & 0xFF;
            int length = shortMessage[at + 1] & 0xFF;
            int data = at + 2;
            if (data + length > headerEnd) {
                throw new IllegalArgumentException("information element 0x" + Integer.toHexString(iei)
                        + " runs past the user data header");
            }
            if (iei == IEI_CONCAT_8BIT && length == 3) {
                concat = concat(shortMessage[data] & 0xFF, shortMessage[data + 1], shortMessage[data + 2]);
            } else if (iei == IEI_CONCAT_16BIT && length == 4) {
                int reference = ((shortMessage[data] & 0xFF) << 8) | (shortMessage[data + 1] & 0xFF);
                concat = concat(reference, shortMessage[data + 2], shortMessage[data + 3]);
            }
            at = data + length;
        }
        return new Parsed(concat, Arrays.copyOfRange(shortMessage, headerEnd, shortMessage.length));
    }

    private static Concat concat(int reference, byte total, byte sequence) {
        Concat concat = new Concat(reference, total & 0xFF, sequence & 0xFF);
        if (concat.total() == 0 || concat.sequence() == 0 || concat.sequence() > concat.total()) {
            throw new IllegalArgumentException("concatenation header says part " + concat.sequence() + " of "
                    + concat.total());
        }
        return concat;
    }
}
