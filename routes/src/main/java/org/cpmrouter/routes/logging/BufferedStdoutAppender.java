package org.cpmrouter.routes.logging;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.Flushable;
import java.io.IOException;

import ch.qos.logback.core.OutputStreamAppender;

/**
 * The console appender of {@code config/logback.xml}: standard output through a 64 KiB buffer that {@link LogFlusher}
 * flushes every 100 ms, instead of logback's console appender, which writes every line with its own system call
 * (standard output flushes on each write). Lines keep their order; a line appears at most 100 ms late.
 */
public class BufferedStdoutAppender<E> extends OutputStreamAppender<E> implements Flushable {

    @Override
    public void start() {
        setOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024));
        setImmediateFlush(false);
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

    /** Flushes the buffer; standard output itself stays open. */
    @Override
    protected void closeOutputStream() {
        try {
            flush();
        } catch (IOException e) {
            addError("cannot flush standard output", e);
        }
    }

    @Override
    public void flush() throws IOException {
        LogFlusher.flush(streamWriteLock, this::getOutputStream);
    }
}
