package org.cpmrouter.sip;

import java.util.Arrays;

/**
 * One request of the fuzz run: what was done to it, how it is sent, its bytes, and the outcome it must have.
 *
 * @param kind      the mutation, e.g. {@code header-duplicated/CSeq}
 * @param transport {@code udp} or {@code tcp}
 * @param callId    the Call-ID it carries (responses are matched on it)
 * @param wire      the bytes sent
 * @param expected  what the server must do with it
 */
record FuzzCase(int index, String kind, String transport, String callId, byte[] wire, Expected expected) {

    /** What must become of a case. */
    enum Outcome {
        /** taken by the route (answered with the route's status) with exactly this body */
        DELIVERED,
        /** answered with this status and reason phrase, never reaching the route */
        REFUSED,
        /** no response can be addressed (no usable Via, From, To, Call-ID or CSeq): silently dropped */
        DROPPED
    }

    record Expected(Outcome outcome, int status, String reason, byte[] body) {

        static Expected delivered(byte[] body) {
            return new Expected(Outcome.DELIVERED, 0, null, body);
        }

        static Expected refused(int status, String reason) {
            return new Expected(Outcome.REFUSED, status, reason, null);
        }

        static Expected dropped() {
            return new Expected(Outcome.DROPPED, 0, null, null);
        }

        @Override
        public String toString() {
            switch (outcome) {
                case DELIVERED: return "delivered (" + body.length + " body bytes)";
                case REFUSED: return status + " " + reason;
                default: return "dropped";
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Expected e && e.outcome == outcome && e.status == status
                    && java.util.Objects.equals(e.reason, reason) && Arrays.equals(e.body, body);
        }

        @Override
        public int hashCode() {
            return outcome.hashCode() * 31 + status;
        }
    }
}
