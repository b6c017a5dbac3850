package org.cpmrouter.routes.logging;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * Flushes the router's buffered log appenders every {@value #PERIOD_MILLIS} ms, from one daemon thread. Writing each
 * log line with its own system call cost about a fifth of the router's CPU per message (several lines per message,
 * each flushed); buffered, a busy second writes a few large blocks instead, and a line still reaches its file or the
 * console within {@value #PERIOD_MILLIS} ms. Appenders flush what is left when they stop.
 */
public final class LogFlusher {

    static final long PERIOD_MILLIS = 100;

    private static final Set<Flushable> APPENDERS = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "log-flusher");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.scheduleWithFixedDelay(LogFlusher::flushAll, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private LogFlusher() {
    }

    static void register(Flushable appender) {
        APPENDERS.add(appender);
    }

    static void unregister(Flushable appender) {
        APPENDERS.remove(appender);
    }

    /**
     * What a buffered appender's {@link Flushable#flush} does: writes out its stream's buffer under the appender's
     * stream lock, so that no line is being written into it meanwhile.
     */
    static void flush(Lock streamLock, Supplier<OutputStream> stream) throws IOException {
        streamLock.lock();
        try {
            OutputStream out = stream.get();
            if (out != null) {
                out.flush();
            }
        } finally {
            streamLock.unlock();
        }
    }

    private static void flushAll() {
        for (Flushable appender : APPENDERS) {
            try {
                appender.flush();
            } catch (IOException | RuntimeException e) {
                // the appender reports its own write failures; one failing appender must not stop the others
            }
        }
    }
}
