package org.cpmrouter.rules;

import java.io.OutputStream;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * A Logback appender that encodes every event like a file appender would (layout, bytes) and then drops the bytes:
 * the benchmark measures what a logged decision costs the deciding thread without disk I/O or console noise.
 */
final class DiscardingAppender extends OutputStreamAppender<ILoggingEvent> {

    @Override
    public void start() {
        setImmediateFlush(false);
        setOutputStream(OutputStream.nullOutputStream());
        super.start();
    }
}
