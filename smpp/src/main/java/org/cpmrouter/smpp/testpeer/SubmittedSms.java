package org.cpmrouter.smpp.testpeer;

/**
 * One submit_sm the application sent to the SMSC test peer (one part of a concatenated SMS).
 *
 * @param source            source_addr, with {@code +} when its TON is international
 * @param destination       destination_addr, with {@code +} when its TON is international
 * @param text              the decoded text of this part
 * @param dataCoding        data_coding as sent
 * @param esmClass          esm_class as sent
 * @param concatReference   the concatenation reference, or -1 when the part has no concatenation header
 * @param concatTotal       how many parts the message has (1 without a header)
 * @param concatSequence    this part's number, from 1
 * @param messageId         the message_id the peer answered with
 * @param registeredDelivery registered_delivery as sent (bits 0-1: the SMSC delivery receipt asked for)
 */
public record SubmittedSms(String source, String destination, String text, int dataCoding, int esmClass,
        int concatReference, int concatTotal, int concatSequence, String messageId, int registeredDelivery) {

    /** Whether the application asked for an SMSC delivery receipt (for success, failure or both). */
    public boolean receiptRequested() {
        return (registeredDelivery & 0x03) != 0;
    }

    public boolean concatenated() {
        return concatReference >= 0;
    }

    /** Shows the text: this record lives in a test tool. */
    @Override
    public String toString() {
        return "SubmittedSms[" + source + " -> " + destination + ", id " + messageId + ", dcs " + dataCoding
                + ", esm 0x" + Integer.toHexString(esmClass)
                + (receiptRequested() ? ", receipt asked" : "")
                + (concatenated() ? ", part " + concatSequence + "/" + concatTotal + " ref " + concatReference : "")
                + ", \"" + text + "\"]";
    }
}
