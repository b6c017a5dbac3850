package org.cpmrouter.sip.camel;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.sip.InvalidArgumentException;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.apache.camel.Message;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.cpmrouter.sip.IncomingRequest;
import org.cpmrouter.sip.SipNode;

/**
 * Maps a SIP request to a Camel message and back. SIP header fields become Exchange headers under their SIP names
 * (Camel's header map is case-insensitive, as SIP's names are); the body is the raw bytes. Transaction-level fields
 * ({@code Via}, {@code Content-Length}, {@code Record-Route}) stay with the stack; a {@code Route} entry that names
 * the receiving node itself is consumed. Exchange headers that are not SIP header names (Camel's own, anything
 * with characters SIP names cannot have) never reach the wire. Which headers cross either way is a
 * {@link HeaderFilterStrategy}'s decision: {@link SipMessageHeaderFilterStrategy} unless the endpoint names another.
 */
public final class SipMessageBinding {

    /** The value of Max-Forwards on a request that arrived without one (RFC 3261 section 8.1.1.6). */
    public static final int DEFAULT_MAX_FORWARDS = 70;

    /** What the overloads without a strategy use: the default filtering. */
    private static final HeaderFilterStrategy DEFAULT_FILTER = new SipMessageHeaderFilterStrategy();
    /** The response headers that say what a recipient takes (RFC 3261 21.4.13), kept for a relay's answer. */
    private static final List<String> REFUSAL_NAMES = List.of("Accept", "Accept-Encoding", "Accept-Language", "Server");
    /**
     * Transaction-level headers: they stay with the stack whatever a strategy says, so a received request's are
     * skipped before their values are even encoded (every request has Via), as {@link #BUILT_HEADERS} are on the way
     * out.
     */
    private static final Set<String> STACK_HEADERS = caseless(
            SipMessageHeaderFilterStrategy.STACK_HEADERS.toArray(String[]::new));
    private static final Set<String> BUILT_HEADERS = caseless("From", "To", "Call-ID", "CSeq", "Max-Forwards",
            "Content-Type", "Via", "Content-Length", "Record-Route");
    private SipMessageBinding() {
    }

    private static Set<String> caseless(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }

    /**
     * Fills a Camel message from a received request. The message also gets the request's parsed headers
     * ({@link SipMessageConstants#RECEIVED_HEADERS}), which {@link #toRequest} copies for what the route left alone.
     */
    public static void toCamel(IncomingRequest in, Message message) {
        toCamel(in, message, DEFAULT_FILTER);
    }

    /** As {@link #toCamel(IncomingRequest, Message)}, with the SIP headers that {@code filter} lets in. */
    public static void toCamel(IncomingRequest in, Message message, HeaderFilterStrategy filter) {
        message.setHeader(SipMessageConstants.REMOTE_ADDRESS, in.remoteAddress());
        message.setHeader(SipMessageConstants.REMOTE_PORT, in.remotePort());
        message.setHeader(SipMessageConstants.TRANSPORT, in.transport());
        ReceivedHeaders received = new ReceivedHeaders();
        toCamel(in.request(), in.node(), message, received, filter);
        message.setHeader(SipMessageConstants.RECEIVED_HEADERS, received);
    }

    /**
     * Fills a Camel message from a request that did not arrive on a socket (a captured request replayed offline):
     * no source address, and every Route header kept. Nothing of the request is kept: its caller may change or
     * reuse it afterwards, and {@link #toRequest} builds every header from its text.
     */
    public static void toCamel(Request request, Message message) {
        toCamel(request, null, message, null, DEFAULT_FILTER);
    }

    /** @param received filled with the parsed headers behind each value, when not null */
    private static void toCamel(Request request, SipNode receivedBy, Message message, ReceivedHeaders received,
                                HeaderFilterStrategy filter) {
        message.setHeader(SipMessageConstants.METHOD, request.getMethod());
        message.setHeader(SipMessageConstants.REQUEST_URI, request.getRequestURI().toString());
        var names = request.getHeaderNames();
        List<Header> headers = new ArrayList<>();
        List<String> values = new ArrayList<>();
        while (names.hasNext()) {
            String name = (String) names.next();
            if (STACK_HEADERS.contains(name)) {
                continue;
            }
            boolean routes = receivedBy != null && name.equalsIgnoreCase("Route");
            headers.clear();
            values.clear();
            java.util.ListIterator<?> it = request.getHeaders(name);
            while (it != null && it.hasNext()) {
                Object header = it.next();
                String value = SipNode.headerValue(header);
                if (routes && routesTo(value, receivedBy)) {
                    continue; // a Route entry naming this node is consumed here
                }
                values.add(value);
                if (header instanceof Header) {
                    headers.add((Header) header);
                }
            }
            if (values.isEmpty()) {
                continue;
            }
            Object value = values.size() == 1 ? values.get(0) : new ArrayList<>(values);
            if (filter.applyFilterToExternalHeaders(name, value, message.getExchange())) {
                continue;
            }
            message.setHeader(name, value);
            if (received != null && headers.size() == values.size()) {
                received.put(name, values, headers);
            }
        }
        byte[] body = request.getRawContent();
        message.setBody(body == null ? new byte[0] : body);
    }

    private static final Pattern ROUTE_URI = Pattern.compile("sips?:(?:[^@;>]*@)?([^;>:\\[\\]]+|\\[[^\\]]+\\])(?::(\\d+))?");

    /** Whether a Route value names the node itself (its host and one of its ports; 5060 when none). */
    private static boolean routesTo(String route, SipNode node) {
        var m = ROUTE_URI.matcher(route);
        if (m.find()) {
            int port = m.group(2) == null ? 5060 : Integer.parseInt(m.group(2));
            return node.listensOn(m.group(1), port);
        }
        return false;
    }

    /**
     * Builds the request a producer sends from a Camel message.
     *
     * @throws IllegalArgumentException when the message lacks what a request needs (Request-URI, From)
     */
    public static Request toRequest(Message message, SipNode node, String transport)
            throws ParseException, InvalidArgumentException {
        return toRequest(message, node, transport, null);
    }

    /**
     * Builds the request a producer sends from a Camel message, with a Request-URI the caller already parsed from
     * {@link SipMessageConstants#REQUEST_URI} (the producer does, for its next hop; null parses it here).
     * Headers the route left as they were received are copied from {@link SipMessageConstants#RECEIVED_HEADERS}
     * rather than parsed again; what goes on the wire is the same either way.
     *
     * @throws IllegalArgumentException when the message lacks what a request needs (Request-URI, From)
     */
    public static Request toRequest(Message message, SipNode node, String transport, URI parsedRequestUri)
            throws ParseException, InvalidArgumentException {
        return toRequest(message, node, transport, parsedRequestUri, DEFAULT_FILTER);
    }

    /**
     * As {@link #toRequest(Message, SipNode, String, URI)}, with the Exchange headers that {@code filter} lets out;
     * the headers this binding builds (From, To, Call-ID, CSeq, Max-Forwards, Content-Type) are read whatever it says.
     */
    public static Request toRequest(Message message, SipNode node, String transport, URI parsedRequestUri,
                                    HeaderFilterStrategy filter) throws ParseException, InvalidArgumentException {
        HeaderFactory headers = node.headerFactory();
        Object receivedHeader = message.getHeader(SipMessageConstants.RECEIVED_HEADERS);
        ReceivedHeaders received = receivedHeader instanceof ReceivedHeaders ? (ReceivedHeaders) receivedHeader : null;
        String method = message.getHeader(SipMessageConstants.METHOD, Request.MESSAGE, String.class);
        String uriText = required(message, SipMessageConstants.REQUEST_URI);
        URI requestUri = parsedRequestUri != null ? parsedRequestUri : node.addressFactory().createURI(uriText);

        FromHeader from = (FromHeader) builtHeader(headers, received, FromHeader.NAME, required(message, "From"));
        if (from.getTag() == null) {
            from.setTag(node.newTag());
        }
        String toText = message.getHeader("To", String.class);
        ToHeader to = (ToHeader) builtHeader(headers, received, ToHeader.NAME,
                toText != null ? toText : "<" + uriText + ">");
        String callIdText = message.getHeader("Call-ID", String.class);
        CallIdHeader callId = headers.createCallIdHeader(callIdText != null ? callIdText : node.newCallId());
        long seq = cseqNumber(message.getHeader("CSeq", String.class));
        CSeqHeader cseq = headers.createCSeqHeader(seq, method);
        MaxForwardsHeader maxForwards = node.newMaxForwards(nextMaxForwards(message.getHeader("Max-Forwards")));

        byte[] body = message.getBody(byte[].class);
        ContentTypeHeader contentType = null;
        String contentTypeText = message.getHeader("Content-Type", String.class);
        if (body != null && body.length > 0) {
            if (contentTypeText == null) {
                throw new IllegalArgumentException("a request with a body needs a Content-Type header");
            }
            contentType = (ContentTypeHeader) builtHeader(headers, received, ContentTypeHeader.NAME, contentTypeText);
        }
        Request request = contentType == null
                ? node.messageFactory().createRequest(requestUri, method, callId, cseq, from, to,
                        List.of(node.newVia(transport)), maxForwards)
                : node.messageFactory().createRequest(requestUri, method, callId, cseq, from, to,
                        List.of(node.newVia(transport)), maxForwards, contentType, body);

        for (Map.Entry<String, Object> entry : message.getHeaders().entrySet()) {
            String name = entry.getKey();
            if (BUILT_HEADERS.contains(name)
                    || filter.applyFilterToCamelHeaders(name, entry.getValue(), message.getExchange())) {
                continue;
            }
            Collection<String> values = values(entry.getValue());
            List<Header> copies = received == null ? null : received.copiesIfUnchanged(name, values);
            if (copies != null) {
                for (Header header : copies) {
                    request.addHeader(header);
                }
                continue;
            }
            for (String value : values) {
                Header header = headers.createHeader(name, value);
                request.addHeader(header);
            }
        }
        return request;
    }

    /** A header of the request line's company: the received one copied when its text is unchanged, else parsed. */
    private static Header builtHeader(HeaderFactory headers, ReceivedHeaders received, String name, String value)
            throws ParseException {
        Header copy = received == null ? null : received.copyIfUnchanged(name, value);
        return copy != null ? copy : headers.createHeader(name, value);
    }

    /**
     * Writes a response's outcome into a Camel message: status, reason and, for a refusal (3xx-6xx), its
     * {@code Accept*} and {@code Server} lines ({@link SipMessageConstants#REFUSAL_HEADERS}; removed after a
     * success, so no earlier response's linger).
     */
    public static void fromResponse(Response response, Message message) {
        message.setHeader(SipMessageConstants.STATUS_CODE, response.getStatusCode());
        message.setHeader(SipMessageConstants.REASON_PHRASE, response.getReasonPhrase());
        if (response.getStatusCode() < 300) { // a success says nothing of what the recipient takes: no lookups
            message.removeHeader(SipMessageConstants.REFUSAL_HEADERS);
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String name : REFUSAL_NAMES) {
            List<String> values = SipNode.headerValues(response, name);
            if (!values.isEmpty()) {
                // the stack splits a list header into one object per element: one line again, as it came
                kept.add(name + ": " + String.join(name.equals("Server") ? " " : ", ", values));
            }
        }
        message.setHeader(SipMessageConstants.REFUSAL_HEADERS, List.copyOf(kept));
    }

    /** Whether an Exchange header of this name goes on the wire by default (the default strategy lets it out). */
    static boolean isWireHeader(String name) {
        return !DEFAULT_FILTER.applyFilterToCamelHeaders(name, "", null);
    }

    private static Collection<String> values(Object value) {
        if (value instanceof Collection<?>) {
            List<String> list = new ArrayList<>();
            for (Object o : (Collection<?>) value) {
                if (o instanceof CharSequence || o instanceof Number) {
                    list.add(o.toString());
                }
            }
            return list;
        }
        if (value instanceof CharSequence || value instanceof Number) {
            return List.of(value.toString());
        }
        return List.of();
    }

    private static String required(Message message, String name) {
        String value = message.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing header " + name + " for the outgoing SIP request");
        }
        return value;
    }

    private static long cseqNumber(String cseq) {
        if (cseq == null || cseq.isBlank()) {
            return 1;
        }
        String trimmed = cseq.trim();
        int end = 0;
        while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end))) {
            end++;
        }
        String number = trimmed.substring(0, end);
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static int nextMaxForwards(Object received) {
        if (received == null) {
            return DEFAULT_MAX_FORWARDS;
        }
        try {
            int value = Integer.parseInt(received.toString().trim());
            return Math.max(0, value - 1);
        } catch (NumberFormatException e) {
            return DEFAULT_MAX_FORWARDS;
        }
    }
}
