package org.cpmrouter.groupstore;

import java.util.HashSet;
import java.util.List;

import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;

/**
 * Storage form of a {@link HeldMessage} (in the {@code deferred-messages} cache, keyed by recipient and sequence),
 * marshalled with ProtoStream. Field numbers are part of the persisted format: never renumber, only add.
 */
@ProtoName("HeldMessage")
record HeldMessageEntity(
        @ProtoField(number = 1) String recipient,
        @ProtoField(number = 2, defaultValue = "0") long sequence,
        @ProtoField(number = 3, defaultValue = "0") long storedAtMillis,
        @ProtoField(number = 4, defaultValue = "0") long expiresAtMillis,
        @ProtoField(number = 5) String callId,
        @ProtoField(number = 6) String messageId,
        @ProtoField(number = 7) String sender,
        @ProtoField(number = 8) List<String> headerLines,
        @ProtoField(number = 9) byte[] body,
        @ProtoField(number = 10, defaultValue = "true") boolean anyDevice,
        @ProtoField(number = 11) List<String> owedDevices,
        @ProtoField(number = 12, defaultValue = "0") int attempts,
        @ProtoField(number = 13, defaultValue = "0") long nextAttemptAtMillis) {

    static HeldMessageEntity from(HeldMessage m) {
        return new HeldMessageEntity(m.recipient(), m.sequence(), m.storedAtMillis(), m.expiresAtMillis(), m.callId(),
                m.messageId(), m.sender(), m.headerLines(), m.body(), m.anyDevice(), List.copyOf(m.owedDevices()),
                m.attempts(), m.nextAttemptAtMillis());
    }

    HeldMessage toHeld() {
        return new HeldMessage(recipient, sequence, storedAtMillis, expiresAtMillis, callId, messageId, sender,
                headerLines, body, anyDevice, owedDevices == null ? null : new HashSet<>(owedDevices), attempts,
                nextAttemptAtMillis);
    }
}
