package org.cpmrouter.routes.logging;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;

/**
 * The asynchronous appender of {@code config/logback.xml}: the SIP threads queue their lines and go on; one writer
 * thread hands them to the attached appenders. Unlike logback's {@code AsyncAppender}, nobody wakes the writer for
 * each line: while lines come it looks at the queue every {@value #BATCH_MILLIS} ms and writes what is there, and
 * only after {@value #IDLE_MILLIS} ms without a line does it sleep until the next line wakes it. Logback's appender
 * signals its writer on every line (a blocking queue's {@code take}), which at several lines per message cost each
 * message two thread switches, about a tenth of the router's CPU (bench/README.md).
 *
 * <p>Nothing is dropped: when {@link #setQueueSize queueSize} lines wait, the thread that logs waits for room, as
 * logback's appender does with {@code discardingThreshold} 0. Each line is formatted (message, MDC, thread name) on
 * the thread that logs; caller data (file and line) is not collected. A line reaches the attached appender at most
 * about {@value #BATCH_MILLIS} ms after it was logged. {@link #stop} writes what is queued, waiting at most
 * {@link #setMaxFlushTime maxFlushTime} ms, then stops the attached appenders.
 */
public class BatchingAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {

    static final int DEFAULT_QUEUE_SIZE = 16384;
    static final int DEFAULT_MAX_FLUSH_TIME = 1000;
    static final long BATCH_MILLIS = 5;
    static final long IDLE_MILLIS = 200;

    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
    /** How long a thread that logs waits before it looks again for room in a full queue. */
    private static final long FULL_QUEUE_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
    /** Lines queued and not yet taken by the writer: the queue's bound (its own size is a walk of the queue). */
    private final AtomicInteger queued = new AtomicInteger();
    private int queueSize = DEFAULT_QUEUE_SIZE;
    private int maxFlushTime = DEFAULT_MAX_FLUSH_TIME;
    private volatile Thread writer;
    private volatile boolean writerAsleep;
    private volatile boolean stopping;

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public void setMaxFlushTime(int maxFlushTime) {
        this.maxFlushTime = maxFlushTime;
    }

    public int getMaxFlushTime() {
        return maxFlushTime;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (!appenders.iteratorForAppenders().hasNext()) {
            addError("No appender attached to [" + getName() + "]: add an <appender-ref>");
            return;
        }
        if (queueSize < 1) {
            addError("queueSize of [" + getName() + "] must be at least 1, was " + queueSize);
            return;
        }
        stopping = false;
        Thread thread = new Thread(this::writeLoop, "AsyncAppender-Writer-" + getName());
        thread.setDaemon(true);
        writer = thread;
        super.start();
        thread.start();
    }

    /**
     * Writes what is queued (waiting at most {@code maxFlushTime} ms for it), then stops the attached appenders.
     */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        stopping = true;
        Thread thread = writer;
        LockSupport.unpark(thread);
        try {
            thread.join(maxFlushTime);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            addWarn("[" + getName() + "] did not write its queue within maxFlushTime " + maxFlushTime + " ms; about "
                    + queued.get() + " lines may be lost");
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        while (!reserveRoom()) {
            if (stopping) {
                appenders.appendLoopOnAppenders(event); // the writer is finishing: this line goes out directly
                return;
            }
            LockSupport.unpark(writer);
            LockSupport.parkNanos(this, FULL_QUEUE_WAIT_NANOS);
        }
        queue.offer(event);
        if (writerAsleep) {
            LockSupport.unpark(writer);
        }
    }

    private boolean reserveRoom() {
        for (int n = queued.get(); n < queueSize; n = queued.get()) {
            if (queued.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The writer: every {@value #BATCH_MILLIS} ms while lines come, woken by the next line once it slept. A line
     * queued while it decides to sleep is seen: it marks itself asleep before it looks at the queue a last time,
     * and a thread that logs looks at the mark after it queued its line.
     */
    private void writeLoop() {
        long lastLine = System.nanoTime();
        while (!stopping) {
            if (writeQueued() > 0) {
                lastLine = System.nanoTime();
            }
            if (System.nanoTime() - lastLine < IDLE_NANOS) {
                LockSupport.parkNanos(this, BATCH_NANOS);
            } else {
                writerAsleep = true;
                if (queue.isEmpty() && !stopping) {
                    LockSupport.park(this);
                }
                writerAsleep = false;
            }
        }
        writeQueued();
        appenders.detachAndStopAllAppenders();
    }

    private int writeQueued() {
        int written = 0;
        for (ILoggingEvent event = queue.poll(); event != null; event = queue.poll()) {
            queued.decrementAndGet();
            appenders.appendLoopOnAppenders(event); // an appender reports its own failures (logback status)
            written++;
        }
        return written;
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
