package org.cpmrouter.sip;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sip.ClientTransaction;
import javax.sip.ObjectInUseException;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up on a client transaction that has no final response by a deadline shorter than the stack's own Timer F
 * (64*T1, 32 s): the caller's future gets what {@code onTimeout} completes it with, and the transaction is ended so
 * that it stops retransmitting. One daemon thread per node, started on first use and stopped with the node; a
 * transaction that is answered in time cancels its timer, so pending timers stay as many as requests in flight.
 */
final class ClientTransactionTimer implements AutoCloseable {

    /** The stack's Timer F with the default T1 of 500 ms: deadlines at or past it are left to the stack. */
    static final long TIMER_F_MS = 64 * 500;

    private static final Logger LOG = LoggerFactory.getLogger(ClientTransactionTimer.class);

    private final String threadName;
    private ScheduledThreadPoolExecutor executor;

    ClientTransactionTimer(String threadName) {
        this.threadName = threadName;
    }

    /** Arms a deadline for one of the stack's transactions, ended when it passes. */
    void watch(ClientTransaction tx, CompletableFuture<Response> result, long timeoutMs, Runnable onTimeout) {
        watch(result, timeoutMs, () -> {
            onTimeout.run();
            terminate(tx);
        });
    }

    /**
     * Arms a deadline for one request; nothing when the deadline is 0 or not shorter than Timer F. A transaction
     * of the lean UDP transport ends when its future completes, so {@code onTimeout} is all it needs.
     */
    void watch(CompletableFuture<Response> result, long timeoutMs, Runnable onTimeout) {
        if (timeoutMs <= 0 || timeoutMs >= TIMER_F_MS) {
            return;
        }
        ScheduledFuture<?> timer = executor().schedule(() -> {
            if (!result.isDone()) {
                onTimeout.run();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        result.whenComplete((response, failure) -> timer.cancel(false));
    }

    private static void terminate(ClientTransaction tx) {
        try {
            tx.terminate();
        } catch (ObjectInUseException | RuntimeException e) {
            LOG.debug("client transaction already ending: {}", e.toString());
        }
    }

    private synchronized ScheduledThreadPoolExecutor executor() {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, threadName);
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true); // an answered transaction leaves no timer behind
        }
        return executor;
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
