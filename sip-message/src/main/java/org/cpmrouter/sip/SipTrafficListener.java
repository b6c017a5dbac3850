package org.cpmrouter.sip;

/**
 * What a {@link SipNode} tells about its traffic, for metrics: requests received, refused before the handler,
 * responses sent, and transactions under way. Called on the stack's threads for every request, so an implementation
 * must be cheap and must not block or throw. Every method does nothing by default; {@link #NONE} is the listener of a
 * node that was given none.
 */
public interface SipTrafficListener {

    /** The listener that ignores everything. */
    SipTrafficListener NONE = new SipTrafficListener() {
    };

    /** Why the node answered a request itself, before its handler saw it. */
    enum Refusal {
        /** 400 (or 505, 513) for what the screening parser found malformed. */
        MALFORMED,
        /** 503 with Retry-After while the node's overload guard was full. */
        OVERLOAD,
        /** 503 with Retry-After while the application drains before it stops. */
        DRAINING,
        /** Refused by the node's {@link SourceScreen}: its source address is banned (403). */
        BANNED
    }

    /** Why a node dropped a datagram it had read, unparsed and unanswered (the lean UDP path's queue). */
    enum Drop {
        /** The queue of datagrams waiting for a handler thread was full. */
        QUEUE_FULL,
        /** It waited for a handler thread longer than the queue timeout. */
        QUEUE_TIMEOUT
    }

    /**
     * The node dropped a datagram it had read, before parsing it and without an answer: over UDP, its sender sends
     * a request again. Called on the thread that reads the socket, at up to the rate datagrams arrive.
     *
     * @param request whether the datagram was a request (else a response to one of the node's requests)
     */
    default void datagramDropped(boolean request, Drop reason) {
    }

    /** A new request (not a retransmission the stack absorbed, not an ACK), of this method as it came. */
    default void requestReceived(String method) {
    }

    /** The node refused a request before its handler saw it; {@link #responseSent} follows for the answer. */
    default void requestRefused(Refusal reason) {
    }

    /** A response the node sent, provisional or final, with its status code. */
    default void responseSent(int status) {
    }

    /** A request is being handled: it was received and has no final response yet. */
    default void serverTransactionStarted() {
    }

    /** A request that {@link #serverTransactionStarted} got its final response. */
    default void serverTransactionEnded() {
    }

    /** The node sent a request and waits for its final response. */
    default void clientTransactionStarted() {
    }

    /** A request the node sent got its final response (received, or made locally on a timeout or error). */
    default void clientTransactionEnded() {
    }
}
