package org.cpmrouter.sip;

/**
 * Screens each new request by its source address before the node spends anything on it: the place for bans of
 * sources that failed to authenticate too often or flood the node. A refused request is answered statelessly, over
 * UDP from its raw bytes before it is parsed (as {@link OverloadGuard}'s refusals are), and a refused {@code ACK} or
 * unreadable datagram is dropped. Responses are never screened.
 */
@FunctionalInterface
public interface SourceScreen {

    /** Lets everything in. */
    SourceScreen NONE = source -> null;

    /**
     * The refusal of a request from {@code sourceAddress} (the packet's source IP), or null to let it in. Called once
     * per request received, retransmissions included, on the stack's reading threads: must be fast, thread-safe,
     * and must not block or log per call.
     */
    Refusal screen(String sourceAddress);

    /** The status line a refused request gets, such as {@code 403 Source Banned}. */
    record Refusal(int status, String reason) {
        public Refusal {
            if (status < 400 || status > 699) {
                throw new IllegalArgumentException("a refusal is a final error status, got " + status);
            }
        }
    }
}
