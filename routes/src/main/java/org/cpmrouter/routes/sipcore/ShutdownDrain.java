package org.cpmrouter.routes.sipcore;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.InflightRepository;
import org.cpmrouter.sip.camel.SipMessageComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of stopping: every new SIP request, OPTIONS included, is answered {@code 503} with
 * {@code Retry-After}, while the exchanges already in flight (a MESSAGE waiting for its recipient's answer) get up
 * to the drain timeout to finish and send their final responses.
 *
 * <p>Why 503 rather than closing the ports: over UDP a closed port says nothing (the sender retransmits for 32 s
 * before it gives up), and the sockets must stay open anyway for the answers of the requests in flight. A 503 with
 * Retry-After tells a client, or a load balancer that probes with OPTIONS, to use another router of the pool at
 * once (RFC 3261 section 21.5.4, RFC 3263 section 4.3).
 */
public final class ShutdownDrain implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDrain.class);
    private static final long POLL_MS = 20;

    private final CamelContext context;
    private final long timeoutMs;

    public ShutdownDrain(CamelContext context, long timeoutMs) {
        this.context = context;
        this.timeoutMs = timeoutMs;
    }

    /** Whole seconds, at least 1, for Retry-After and Camel's shutdown timeout. */
    public static int seconds(long millis) {
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    @Override
    public void run() {
        if (context == null || context.getComponent("sip-message", false) == null) {
            return;
        }
        context.getComponent("sip-message", SipMessageComponent.class)
                .refuseNewRequests(503, "Shutting Down", List.of("Retry-After: " + seconds(timeoutMs)));
        InflightRepository inflight = context.getInflightRepository();
        LOG.info("draining: new requests are answered 503; {} in flight get up to {} ms to finish",
                inflight.size(), timeoutMs);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        try {
            while (inflight.size() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MS); // Camel's inflight repository has no completion signal to wait on
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inflight.size() > 0) {
            LOG.warn("drain timeout: {} exchange(s) still in flight are cut short", inflight.size());
        } else {
            LOG.info("drained: nothing in flight");
        }
    }
}
