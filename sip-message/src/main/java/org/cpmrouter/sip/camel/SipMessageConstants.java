package org.cpmrouter.sip.camel;

/**
 * Names of the Exchange headers the component reads and writes besides the SIP headers themselves.
 * SIP header fields travel as Exchange headers under their SIP names ({@code From}, {@code Conversation-ID}, ...);
 * these {@code CamelSip*} ones are never written to the wire.
 */
public final class SipMessageConstants {

    /** The request method, for example {@code MESSAGE}. */
    public static final String METHOD = "CamelSipMethod";
    /** The Request-URI, as text. The producer sends the request to it. */
    public static final String REQUEST_URI = "CamelSipRequestUri";
    /** Source IP address of a received request. */
    public static final String REMOTE_ADDRESS = "CamelSipRemoteAddress";
    /** Source port of a received request. */
    public static final String REMOTE_PORT = "CamelSipRemotePort";
    /** {@code udp}, {@code tcp} or {@code tls}: the transport a request arrived on. */
    public static final String TRANSPORT = "CamelSipTransport";
    /** The final status: set by the producer from the response; read by the consumer to answer. Integer. */
    public static final String STATUS_CODE = "CamelSipStatusCode";
    /** The reason phrase that goes with {@link #STATUS_CODE}. */
    public static final String REASON_PHRASE = "CamelSipReasonPhrase";
    /**
     * Set by the producer: {@code true} when {@link #STATUS_CODE} was made locally because the next hop did not
     * answer (408 when the transaction timed out, 503 when the transport failed), {@code false} when the next hop
     * sent it. A relaying role tells its own next hop's silence (504) from a 408 relayed from further on.
     */
    public static final String NO_ANSWER = "CamelSipNoAnswer";
    /**
     * Set by the consumer: the header objects of the received request with the values it gave them here (a
     * {@link ReceivedHeaders}), so that the producer copies a header the route left alone instead of parsing its
     * text again. Never written to the wire; it holds no body and lives as long as the Exchange.
     */
    public static final String RECEIVED_HEADERS = "CamelSipReceivedHeaders";
    /** Extra header lines for the consumer's response ({@code List<String>} of {@code "Name: value"}). */
    public static final String RESPONSE_HEADERS = "CamelSipResponseHeaders";

    private SipMessageConstants() {
    }
}
