package org.cpmrouter.groupstore;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A CPM Message held for a recipient who could not take it when it came (deferred delivery): the request as the
 * recipient's side would send it on, and which of the recipient's devices are still owed it.
 *
 * @param recipient        the recipient's public identity
 * @param sequence         arrival order among this recipient's held messages (assigned by the store, from 1)
 * @param storedAtMillis   when it was stored, epoch milliseconds
 * @param expiresAtMillis  when it is given up (and reported failed), epoch milliseconds
 * @param callId           the Call-ID it came with (for the log; a delivery from the store uses a new one)
 * @param messageId        its {@code imdn.Message-ID}, or empty when it has none
 * @param sender           the sender's identity, as asserted
 * @param headerLines      the request's headers to send it with, each {@code "Name: value"} (no Via, Call-ID, CSeq,
 *                         Max-Forwards, Route or Content-Length: each delivery makes its own)
 * @param body             the body, byte for byte as it came
 * @param anyDevice        true while no device has it: whichever devices register get it; false once one has it
 * @param owedDevices      the devices still owed it when {@code anyDevice} is false (a device is its
 *                         {@code +sip.instance} when it registered one, else its contact URI)
 * @param attempts         delivery attempts made while the recipient was registered but did not take it
 * @param nextAttemptAtMillis earliest time of the next retry, epoch milliseconds (0: at once)
 */
public record HeldMessage(String recipient, long sequence, long storedAtMillis, long expiresAtMillis, String callId,
                          String messageId, String sender, List<String> headerLines, byte[] body, boolean anyDevice,
                          Set<String> owedDevices, int attempts, long nextAttemptAtMillis) {

    public HeldMessage {
        Objects.requireNonNull(recipient, "recipient");
        callId = callId == null ? "" : callId;
        messageId = messageId == null ? "" : messageId;
        sender = sender == null ? "" : sender;
        headerLines = headerLines == null ? List.of() : List.copyOf(headerLines);
        body = body == null ? new byte[0] : body;
        owedDevices = owedDevices == null ? Set.of() : Set.copyOf(owedDevices);
    }

    /** A message to hold until any device of the recipient takes it. */
    public static HeldMessage forAnyDevice(String recipient, long storedAtMillis, long expiresAtMillis, String callId,
                                           String messageId, String sender, List<String> headerLines, byte[] body) {
        return new HeldMessage(recipient, 0, storedAtMillis, expiresAtMillis, callId, messageId, sender, headerLines,
                body, true, Set.of(), 0, 0);
    }

    /** A message some devices took, held for the others. */
    public static HeldMessage forDevices(String recipient, long storedAtMillis, long expiresAtMillis, String callId,
                                         String messageId, String sender, List<String> headerLines, byte[] body,
                                         Set<String> devices) {
        return new HeldMessage(recipient, 0, storedAtMillis, expiresAtMillis, callId, messageId, sender, headerLines,
                body, false, devices, 0, 0);
    }

    /** Whether this device should get it now. */
    public boolean isOwedTo(String device) {
        return anyDevice || owedDevices.contains(device);
    }

    /** Bytes it takes against the store's caps (the body and the header lines). */
    public long size() {
        long size = body.length;
        for (String line : headerLines) {
            size += line.length();
        }
        return size;
    }

    public HeldMessage withSequence(long newSequence) {
        return new HeldMessage(recipient, newSequence, storedAtMillis, expiresAtMillis, callId, messageId, sender,
                headerLines, body, anyDevice, owedDevices, attempts, nextAttemptAtMillis);
    }

    /** After a delivery run: the devices still owed it, and when to try again. */
    public HeldMessage owing(boolean stillAnyDevice, Set<String> devices, int newAttempts, long nextAttemptAt) {
        return new HeldMessage(recipient, sequence, storedAtMillis, expiresAtMillis, callId, messageId, sender,
                headerLines, body, stillAnyDevice, devices, newAttempts, nextAttemptAt);
    }

    public boolean isExpiredAt(long nowMillis) {
        return expiresAtMillis <= nowMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldMessage h && recipient.equals(h.recipient) && sequence == h.sequence
                && storedAtMillis == h.storedAtMillis && expiresAtMillis == h.expiresAtMillis
                && callId.equals(h.callId) && messageId.equals(h.messageId) && sender.equals(h.sender)
                && headerLines.equals(h.headerLines) && java.util.Arrays.equals(body, h.body)
                && anyDevice == h.anyDevice && owedDevices.equals(h.owedDevices) && attempts == h.attempts
                && nextAttemptAtMillis == h.nextAttemptAtMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(recipient, sequence, messageId);
    }

    /** Never the body or the headers: they are the message. */
    @Override
    public String toString() {
        return "HeldMessage[recipient=" + recipient + ", sequence=" + sequence + ", messageId=" + messageId
                + ", callId=" + callId + ", bytes=" + body.length + ", anyDevice=" + anyDevice + ", owed="
                + owedDevices.size() + ", attempts=" + attempts + "]";
    }
}
