package org.cpmrouter.smpp.testpeer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** An append-only list that a test can wait on: each append wakes the waiters, so nobody polls or sleeps. */
final class Journal<T> {

    private final String what;
    private final List<T> entries = new ArrayList<>();

    Journal(String what) {
        this.what = what;
    }

    synchronized void add(T entry) {
        entries.add(entry);
        notifyAll();
    }

    synchronized List<T> snapshot() {
        return List.copyOf(entries);
    }

    /** The first entry, already here or still to come, that matches; TimeoutException after {@code timeoutMs}. */
    synchronized T await(Predicate<? super T> matching, long timeoutMs) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int checked = 0;
        while (true) {
            for (; checked < entries.size(); checked++) {
                if (matching.test(entries.get(checked))) {
                    return entries.get(checked);
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new TimeoutException("no matching " + what + " within " + timeoutMs + " ms; "
                        + entries.size() + " so far: " + entries);
            }
            wait(left);
        }
    }

    /** Waits until at least {@code count} entries match, and returns those that do. */
    synchronized List<T> awaitCount(Predicate<? super T> matching, int count, long timeoutMs)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            List<T> matches = entries.stream().filter(matching).toList();
            if (matches.size() >= count) {
                return matches;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new TimeoutException(matches.size() + " of " + count + " " + what + " within " + timeoutMs
                        + " ms; all so far: " + entries);
            }
            wait(left);
        }
    }
}
