package org.cpmrouter.rules;

/**
 * One {@link StringBuilder} per thread for the decision log and audit lines: each deciding thread writes its lines
 * into the same buffer, emptied before each line, instead of allocating (and, for the longer lines, growing) a new
 * one per line. Only the finished {@code String} handed to the logger is new. A line is built and turned into its
 * string before the next one starts (the listeners run one after the other on the deciding thread), so the buffer is
 * never shared between two lines in progress.
 */
final class LineBuffer {

    /** Room for a user-to-user decision's audit line (400-450 characters) without growing. */
    static final int INITIAL_CAPACITY = 512;
    /** A buffer grown past this by an unusually long line is dropped after it, not kept for the thread's life. */
    static final int MAX_KEPT_CAPACITY = 4096;

    private static final ThreadLocal<StringBuilder> BUFFER =
            ThreadLocal.withInitial(() -> new StringBuilder(INITIAL_CAPACITY));

    private LineBuffer() {
    }

    /** This thread's buffer, empty. Pass it to {@link #finish} when the line is written. */
    static StringBuilder take() {
        StringBuilder buffer = BUFFER.get();
        buffer.setLength(0);
        return buffer;
    }

    /** The line written into {@code buffer}, which {@link #take()} gave; an oversized buffer is let go. */
    static String finish(StringBuilder buffer) {
        String line = buffer.toString();
        if (buffer.capacity() > MAX_KEPT_CAPACITY) {
            BUFFER.set(new StringBuilder(INITIAL_CAPACITY));
        }
        return line;
    }
}
