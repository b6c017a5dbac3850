package org.cpmrouter.sip.camel;

import org.apache.camel.spi.Metadata;

/**
 * Names of the Exchange headers the component reads and writes besides the SIP headers themselves.
 * SIP header fields travel as Exchange headers under their SIP names ({@code From}, {@code Conversation-ID}, ...);
 * these {@code CamelSip*} ones are never written to the wire. Each one's {@link Metadata} feeds the component's
 * catalog entry ({@code headersClass} of {@link SipMessageEndpoint}).
 */
public final class SipMessageConstants {

    /** The request method, for example {@code MESSAGE}. */
    @Metadata(label = "consumer,producer", javaType = "String", description = "The request method: set by the "
            + "consumer from the received request; read by the producer (MESSAGE when unset)")
    public static final String METHOD = "CamelSipMethod";
    /** The Request-URI, as text. The producer sends the request to it. */
    @Metadata(label = "consumer,producer", javaType = "String", required = true, description = "The Request-URI, as "
            + "text: set by the consumer; required by the producer, whose request gets it (and "
            + "sip-message:request-uri sends to it)")
    public static final String REQUEST_URI = "CamelSipRequestUri";
    /** Source IP address of a received request. */
    @Metadata(label = "consumer", javaType = "String", description = "Source IP address of a received request (the "
            + "packet's, not what Via claims)")
    public static final String REMOTE_ADDRESS = "CamelSipRemoteAddress";
    /** Source port of a received request. */
    @Metadata(label = "consumer", javaType = "Integer", description = "Source port of a received request")
    public static final String REMOTE_PORT = "CamelSipRemotePort";
    /** {@code udp}, {@code tcp} or {@code tls}: the transport a request arrived on. */
    @Metadata(label = "consumer", javaType = "String", description = "The transport a request arrived on: udp, tcp "
            + "or tls")
    public static final String TRANSPORT = "CamelSipTransport";
    /** The final status: set by the producer from the response; read by the consumer to answer. Integer. */
    @Metadata(label = "consumer,producer", javaType = "Integer", description = "The final status: read by the consumer "
            + "to answer the request (the endpoint's defaultStatus when unset); set by the producer from the response")
    public static final String STATUS_CODE = "CamelSipStatusCode";
    /** The reason phrase that goes with {@link #STATUS_CODE}. */
    @Metadata(label = "consumer,producer", javaType = "String", description = "The reason phrase that goes with "
            + "CamelSipStatusCode: read by the consumer (the status's usual phrase when unset); set by the producer")
    public static final String REASON_PHRASE = "CamelSipReasonPhrase";
    /**
     * Set by the producer: {@code true} when {@link #STATUS_CODE} was made locally because the next hop did not
     * answer (408 when the transaction timed out, 503 when the transport failed), {@code false} when the next hop
     * sent it. A relaying role tells its own next hop's silence (504) from a 408 relayed from further on.
     */
    @Metadata(label = "producer", javaType = "Boolean", description = "Set by the producer: true when "
            + "CamelSipStatusCode was made locally because the next hop did not answer (408: transaction timeout, "
            + "503: transport failure), false when the next hop sent it")
    public static final String NO_ANSWER = "CamelSipNoAnswer";
    /**
     * Set by the consumer: the header objects of the received request with the values it gave them here (a
     * {@link ReceivedHeaders}), so that the producer copies a header the route left alone instead of parsing its
     * text again. Never written to the wire; it holds no body and lives as long as the Exchange.
     */
    @Metadata(label = "consumer", javaType = "org.cpmrouter.sip.camel.ReceivedHeaders", description = "Set by the "
            + "consumer: the parsed headers of the received request, which the producer copies for the headers the "
            + "route left unchanged instead of parsing their text again. Never on the wire")
    public static final String RECEIVED_HEADERS = "CamelSipReceivedHeaders";
    /** Extra header lines for the consumer's response ({@code List<String>} of {@code "Name: value"}). */
    @Metadata(label = "consumer", javaType = "java.util.List<String>", description = "Extra header lines for the "
            + "consumer's response, each \"Name: value\"")
    public static final String RESPONSE_HEADERS = "CamelSipResponseHeaders";

    /**
     * Set by the producer on a refusal (a 3xx-6xx final response) from the next hop: its {@code Accept},
     * {@code Accept-Encoding}, {@code Accept-Language} and {@code Server} lines ({@code List<String>} of
     * {@code "Name: value"}, empty when it had none; absent after a success or no response). Its presence marks the
     * refusal as relayed: the consumer adds the {@code Server} line, and on a {@code 415} or {@code 488} the
     * {@code Accept*} lines (RFC 3261 21.4.13, 21.4.26), to the answer where the route did not write them, so the
     * sender learns who refused and what the recipient takes. An answer of the consumer's own (none relayed) carries
     * {@code Server: CPM-Router} ({@link #OWN_SERVER}). Never on the wire as such.
     */
    @Metadata(label = "consumer,producer", javaType = "java.util.List<String>", description = "Set by the producer "
            + "on a 3xx-6xx final response: its Accept, Accept-Encoding, Accept-Language and Server lines, each "
            + "\"Name: value\" (empty when it had none); the consumer adds Server, and Accept* on a 415 or 488, to the "
            + "answer where the route did not write them, so a relay tells the sender who refused and what its "
            + "recipient takes; answers of the consumer's own carry Server: CPM-Router")
    public static final String REFUSAL_HEADERS = "CamelSipRefusalHeaders";

    /** The {@code Server} value of the refusals the router answers itself, which tells a sender the router refused. */
    public static final String OWN_SERVER = "CPM-Router";

    private SipMessageConstants() {
    }
}
