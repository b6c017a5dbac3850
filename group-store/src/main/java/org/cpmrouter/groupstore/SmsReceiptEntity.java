package org.cpmrouter.groupstore;

import java.util.List;

import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;

/**
 * Storage form of an {@link AwaitedSmsReceipt} (in the {@code sms-receipts} cache, under the SMSC id of each of its
 * parts), with the parts whose receipt is still awaited. The entry under the first part's id is the one that
 * counts; it is replaced by compare-and-set, so two receipts at once settle a message once. Marshalled with
 * ProtoStream: field numbers are part of the persisted format, never renumber, only add.
 */
@ProtoName("SmsReceipt")
record SmsReceiptEntity(
        @ProtoField(number = 1) String callId,
        @ProtoField(number = 2) String sender,
        @ProtoField(number = 3) String recipient,
        @ProtoField(number = 4) String messageId,
        @ProtoField(number = 5) List<String> dispositionNotification,
        @ProtoField(number = 6) String dateTime,
        @ProtoField(number = 7) List<String> smscIds,
        @ProtoField(number = 8, defaultValue = "0") long expiresAtMillis,
        @ProtoField(number = 9) List<String> outstanding) {

    static SmsReceiptEntity from(AwaitedSmsReceipt a) {
        return new SmsReceiptEntity(a.callId(), a.sender(), a.recipient(), a.messageId(), a.dispositionNotification(),
                a.dateTime(), a.smscIds(), a.expiresAtMillis(), a.smscIds());
    }

    AwaitedSmsReceipt toAwaited() {
        return new AwaitedSmsReceipt(callId, sender, recipient, messageId,
                dispositionNotification == null ? List.of() : dispositionNotification, dateTime, smscIds,
                expiresAtMillis);
    }

    /** The parts still awaited (none is an empty list, never null). */
    List<String> awaited() {
        return outstanding == null ? List.of() : outstanding;
    }

    SmsReceiptEntity withOutstanding(List<String> parts) {
        return new SmsReceiptEntity(callId, sender, recipient, messageId, dispositionNotification, dateTime, smscIds,
                expiresAtMillis, List.copyOf(parts));
    }
}
