package org.cpmrouter.routes.logging;

import java.io.Flushable;
import java.io.IOException;

import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.util.FileSize;

/**
 * A rolling file whose lines are buffered and written by {@link LogFlusher} every 100 ms, rather than with a system
 * call per line on the thread that logs: the decision audit writes four lines per message from the SIP threads,
 * which then neither pay for the writes nor wait on the disk. A line reaches the file at most 100 ms late; what is
 * buffered is written when the appender stops (the router's shutdown) and before each rollover.
 *
 * <p>The buffer holds {@value #BUFFER_BYTES} bytes, more than 100 ms of audit at the router's top rate (four lines
 * of about 400 bytes per message), so that the SIP threads do not write either: with logback's 8 KiB they did, a
 * system call every few messages, about 2 % of the router's CPU at 2,000 messages/s (bench/README.md).
 */
public class BufferedRollingFileAppender<E> extends RollingFileAppender<E> implements Flushable {

    static final int BUFFER_BYTES = 1 << 20;

    @Override
    public void start() {
        setImmediateFlush(false);
        setBufferSize(new FileSize(BUFFER_BYTES));
        super.start();
        if (isStarted()) {
            LogFlusher.register(this);
        }
    }

    @Override
    public void stop() {
        LogFlusher.unregister(this);
        super.stop();
    }

    @Override
    public void flush() throws IOException {
        LogFlusher.flush(streamWriteLock, this::getOutputStream);
    }
}
