package org.cpmrouter.sip;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Timers that all run for the same delay, such as a SIP transaction's Timer J: they come due in the order they were
 * set, so a FIFO queue is all the bookkeeping they need (no heap, no lock), and setting one costs one queue node.
 * They are not cancelled: whoever handles a due entry checks whether it still matters (a transaction that ended
 * since is skipped). Whoever owns them calls {@link #fire} often, from one thread.
 *
 * @param <T> what a timer carries
 */
final class ConstantDelayTimers<T> {

    private record Due<T>(long atNanos, T entry) {
    }

    private final long delayNanos;
    private final Queue<Due<T>> queue = new ConcurrentLinkedQueue<>();

    ConstantDelayTimers(long delayMs) {
        this.delayNanos = delayMs * 1_000_000;
    }

    /** Sets a timer for {@code entry}, due one delay from now. */
    void add(T entry) {
        queue.add(new Due<>(System.nanoTime() + delayNanos, entry));
    }

    /** Hands every entry due by {@code nowNanos} to {@code action}, oldest first. */
    void fire(long nowNanos, Consumer<T> action) {
        for (Due<T> head = queue.peek(); head != null && head.atNanos() - nowNanos <= 0; head = queue.peek()) {
            queue.poll();
            action.accept(head.entry());
        }
    }
}
