package org.cpmrouter.smpp;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the parts of concatenated SMS until each message is whole. Bounded and self-cleaning: at most
 * {@code maxPending} messages are kept, and a message whose parts have not all come within {@code expiry} of its
 * first part is dropped (the SMSC has acknowledged those parts, so this is where an incomplete message ends).
 *
 * <p>A whole message stays until {@link #release} is called, so that when the receiver refuses it for now and
 * the SMSC sends the last part again, the message completes again instead of starting over from that part.
 */
public final class ConcatReassembler {

    private static final Logger LOG = LoggerFactory.getLogger(ConcatReassembler.class);

    /** Default bound on messages in reassembly at once (per link or handset). */
    public static final int DEFAULT_MAX_PENDING = 1000;
    /** Default time a message may take to arrive whole; SMSCs send the parts of one message back to back. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(10);

    /** What became of a part. */
    public sealed interface Outcome permits Complete, Pending, Full {
    }

    /** Every part is here; {@code text} is the whole message. */
    public record Complete(String key, String text) implements Outcome {
    }

    /** Kept; more parts are to come. */
    public record Pending(int received, int total) implements Outcome {
    }

    /** Not kept: {@code maxPending} messages are already waiting for parts. */
    public record Full(int pending) implements Outcome {
    }

    private final int maxPending;
    private final long expiryNanos;
    private final LongSupplier nanoClock;
    /** Insertion order is first-part order, so the oldest message is always first. */
    private final Map<String, Message> pending = new LinkedHashMap<>();

    public ConcatReassembler() {
        this(DEFAULT_MAX_PENDING, DEFAULT_EXPIRY, System::nanoTime);
    }

    /** With a clock of its own, so that tests move time instead of waiting for it. */
    public ConcatReassembler(int maxPending, Duration expiry, LongSupplier nanoClock) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be positive");
        }
        this.maxPending = maxPending;
        this.expiryNanos = expiry.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Adds one part of the message that {@code sender} and the header's reference and total identify.
     *
     * @param sender something that tells senders apart (source and destination address)
     */
    public synchronized Outcome offer(String sender, UserDataHeader.Concat concat, String partText) {
        long now = nanoClock.getAsLong();
        dropExpired(now);
        String key = sender + "|" + concat.reference() + "|" + concat.total();
        Message message = pending.get(key);
        if (message == null) {
            if (pending.size() >= maxPending) {
                return new Full(pending.size());
            }
            message = new Message(concat.total(), now);
            pending.put(key, message);
        }
        message.parts[concat.sequence() - 1] = partText;
        if (message.received() < concat.total()) {
            return new Pending(message.received(), concat.total());
        }
        return new Complete(key, String.join("", message.parts));
    }

    /** Forgets a complete message, once its receiver has taken it. */
    public synchronized void release(String key) {
        pending.remove(key);
    }

    /** Messages waiting for parts (or for {@link #release}). */
    public synchronized int pendingCount() {
        dropExpired(nanoClock.getAsLong());
        return pending.size();
    }

    private void dropExpired(long now) {
        Iterator<Map.Entry<String, Message>> oldestFirst = pending.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Map.Entry<String, Message> entry = oldestFirst.next();
            Message message = entry.getValue();
            if (now - message.firstPartNanos < expiryNanos) {
                return;
            }
            oldestFirst.remove();
            LOG.warn("Dropped concatenated SMS {} (sender|reference|total): {} of {} parts arrived within {} s",
                    entry.getKey(), message.received(), message.parts.length, expiryNanos / 1_000_000_000L);
        }
    }

    private static final class Message {
        final String[] parts;
        final long firstPartNanos;

        Message(int total, long firstPartNanos) {
            this.parts = new String[total];
            this.firstPartNanos = firstPartNanos;
        }

        int received() {
            int n = 0;
            for (String part : parts) {
                if (part != null) {
                    n++;
                }
            }
            return n;
        }
    }
}
