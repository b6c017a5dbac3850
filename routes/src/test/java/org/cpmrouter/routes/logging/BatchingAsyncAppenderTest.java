package org.cpmrouter.routes.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching asynchronous appender, with real threads: every line reaches the attached appender, in each thread's
 * order, also when the queue is full; a writer that went to sleep is woken by the next line; stopping writes what is
 * queued.
 */
class BatchingAsyncAppenderTest {

    private final LoggerContext context = new LoggerContext();
    private final Recorder recorder = new Recorder();
    private final BatchingAsyncAppender async = new BatchingAsyncAppender();

    @AfterEach
    void stop() {
        async.stop();
        context.stop();
    }

    @Test
    void should_write_every_line_in_each_threads_order_when_producers_wait_for_a_full_queue() throws Exception {
        Logger logger = start(8); // far fewer places than lines: the threads that log wait for room
        int threads = 4;
        int lines = 5_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread producer = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < lines; i++) {
                    logger.info("line {} {}", thread, i);
                }
            }, "producer-" + t);
            producers.add(producer);
            producer.start();
        }
        go.countDown();
        for (Thread producer : producers) {
            producer.join(TimeUnit.SECONDS.toMillis(30));
        }
        async.stop();

        List<String> written = recorder.lines();
        assertEquals(threads * lines, written.size(), "every line written once");
        int[] next = new int[threads];
        for (String line : written) {
            String[] parts = line.split(" ");
            int thread = Integer.parseInt(parts[1]);
            assertEquals(next[thread]++, Integer.parseInt(parts[2]), "thread " + thread + "'s lines in order");
        }
    }

    @Test
    void should_wake_a_sleeping_writer_for_the_next_line() throws Exception {
        Logger logger = start(BatchingAsyncAppender.DEFAULT_QUEUE_SIZE);
        logger.info("first");
        recorder.await(1);
        Thread.sleep(BatchingAsyncAppender.IDLE_MILLIS * 3); // no line for longer than the writer keeps looking

        logger.info("second, after the writer went to sleep");
        assertTrue(recorder.await(2), "the line was written without waiting for another one");
        assertEquals(List.of("first", "second, after the writer went to sleep"), recorder.lines());
    }

    @Test
    void should_format_a_line_on_the_thread_that_logs_it() throws Exception {
        Logger logger = start(BatchingAsyncAppender.DEFAULT_QUEUE_SIZE);
        StringBuilder mutable = new StringBuilder("as logged");
        logger.info("value={}", mutable);
        mutable.setLength(0);
        mutable.append("changed later");

        assertTrue(recorder.await(1));
        assertEquals("value=as logged", recorder.lines().get(0));
        assertEquals(Thread.currentThread().getName(), recorder.threadNames().get(0));
    }

    @Test
    void should_write_the_queue_and_stop_the_attached_appender_when_stopped() {
        Logger logger = start(BatchingAsyncAppender.DEFAULT_QUEUE_SIZE);
        for (int i = 0; i < 1_000; i++) {
            logger.info("line {}", i);
        }
        async.stop();

        assertEquals(1_000, recorder.lines().size());
        assertFalse(recorder.isStarted(), "the attached appender stops with it");
        assertFalse(async.isStarted());
    }

    @Test
    void should_refuse_to_start_without_an_attached_appender_naming_the_fix() {
        BatchingAsyncAppender alone = new BatchingAsyncAppender();
        alone.setContext(context);
        alone.setName("ASYNC");
        alone.start();

        assertFalse(alone.isStarted());
        assertTrue(context.getStatusManager().getCopyOfStatusList().stream()
                .anyMatch(s -> s.getLevel() == Status.ERROR && s.getMessage().contains("<appender-ref>")));
    }

    private Logger start(int queueSize) {
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider gives its own context
        context.start();
        recorder.setContext(context);
        recorder.start();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(queueSize);
        async.addAppender(recorder);
        async.start();
        assertTrue(async.isStarted());
        Logger logger = context.getLogger("org.cpmrouter.test");
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(async);
        return logger;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the formatted message and the logging thread's name of each line it is given. */
    private static final class Recorder extends AppenderBase<ILoggingEvent> {
        private final List<String> lines = new ArrayList<>();
        private final List<String> threadNames = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
            threadNames.add(event.getThreadName());
            notifyAll(); // AppenderBase.doAppend holds this object's monitor
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized List<String> threadNames() {
            return List.copyOf(threadNames);
        }

        /** Whether {@code count} lines arrive within 5 s. */
        synchronized boolean await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (lines.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
