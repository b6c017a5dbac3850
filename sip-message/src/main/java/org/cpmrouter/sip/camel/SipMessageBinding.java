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
import org.cpmrouter.sip.IncomingRequest;
import org.cpmrouter.sip.SipNode;

/**
 * Maps a SIP request to a Camel message and back. SIP header fields become Exchange headers under their SIP names
 * (Camel's header map is case-insensitive, as SIP's names are); the body is the raw bytes. Transaction-level fields
 * ({@code Via}, {@code Content-Length}, {@code Record-Route}) stay with the stack; a {@code Route} entry that names
 * the receiving node itself is consumed. Exchange headers that are not SIP header names (Camel's own, anything
 * with characters SIP names cannot have) never reach the wire.
 */
public final class SipMessageBinding {

    /** The value of Max-Forwards on a request that arrived without one (RFC 3261 section 8.1.1.6). */
    public static final int DEFAULT_MAX_FORWARDS = 70;

    private static final Set<String> STACK_HEADERS = caseless("Via", "Content-Length", "Record-Route");
    private static final Set<String> BUILT_HEADERS = caseless("From", "To", "Call-ID", "CSeq", "Max-Forwards",
            "Content-Type", "Via", "Content-Length", "Record-Route");
    /** The characters of an RFC 3261 token besides letters and digits. */
    private static final String TOKEN_MARKS = "-.!%*_+`'~";

    private SipMessageBinding() {
    }

    private static Set<String> caseless(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }

    /** Fills a Camel message from a received request. */
    public static void toCamel(IncomingRequest in, Message message) {
        message.setHeader(SipMessageConstants.REMOTE_ADDRESS, in.remoteAddress());
        message.setHeader(SipMessageConstants.REMOTE_PORT, in.remotePort());
        message.setHeader(SipMessageConstants.TRANSPORT, in.transport());
        toCamel(in.request(), in.node(), message);
    }

    /**
     * Fills a Camel message from a request that did not arrive on a socket (a captured request replayed offline):
     * no source address, and every Route header kept.
     */
    public static void toCamel(Request request, Message message) {
        toCamel(request, null, message);
    }

    private static void toCamel(Request request, SipNode receivedBy, Message message) {
        message.setHeader(SipMessageConstants.METHOD, request.getMethod());
        message.setHeader(SipMessageConstants.REQUEST_URI, request.getRequestURI().toString());
        var names = request.getHeaderNames();
        while (names.hasNext()) {
            String name = (String) names.next();
            if (STACK_HEADERS.contains(name)) {
                continue;
            }
            List<String> values = SipNode.headerValues(request, name);
            if (name.equalsIgnoreCase("Route") && receivedBy != null) {
                values = withoutRoutesTo(values, receivedBy);
            }
            if (values.size() == 1) {
                message.setHeader(name, values.get(0));
            } else if (!values.isEmpty()) {
                message.setHeader(name, values);
            }
        }
        byte[] body = request.getRawContent();
        message.setBody(body == null ? new byte[0] : body);
    }

    private static final Pattern ROUTE_URI = Pattern.compile("sips?:(?:[^@;>]*@)?([^;>:\\[\\]]+|\\[[^\\]]+\\])(?::(\\d+))?");

    private static List<String> withoutRoutesTo(List<String> routes, SipNode node) {
        List<String> kept = new ArrayList<>();
        for (String route : routes) {
            var m = ROUTE_URI.matcher(route);
            boolean toSelf = false;
            if (m.find()) {
                int port = m.group(2) == null ? 5060 : Integer.parseInt(m.group(2));
                toSelf = node.listensOn(m.group(1), port);
            }
            if (!toSelf) {
                kept.add(route);
            }
        }
        return kept;
    }

    /**
     * Builds the request a producer sends from a Camel message.
     *
     * @throws IllegalArgumentException when the message lacks what a request needs (Request-URI, From)
     */
    public static Request toRequest(Message message, SipNode node, String transport)
            throws ParseException, InvalidArgumentException {
        HeaderFactory headers = node.headerFactory();
        String method = message.getHeader(SipMessageConstants.METHOD, Request.MESSAGE, String.class);
        String uriText = required(message, SipMessageConstants.REQUEST_URI);
        URI requestUri = node.addressFactory().createURI(uriText);

        FromHeader from = (FromHeader) headers.createHeader(FromHeader.NAME, required(message, "From"));
        if (from.getTag() == null) {
            from.setTag(node.newTag());
        }
        String toText = message.getHeader("To", String.class);
        ToHeader to = (ToHeader) headers.createHeader(ToHeader.NAME, toText != null ? toText : "<" + uriText + ">");
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
            contentType = (ContentTypeHeader) headers.createHeader(ContentTypeHeader.NAME, contentTypeText);
        }
        Request request = contentType == null
                ? node.messageFactory().createRequest(requestUri, method, callId, cseq, from, to,
                        List.of(node.newVia(transport)), maxForwards)
                : node.messageFactory().createRequest(requestUri, method, callId, cseq, from, to,
                        List.of(node.newVia(transport)), maxForwards, contentType, body);

        for (Map.Entry<String, Object> entry : message.getHeaders().entrySet()) {
            String name = entry.getKey();
            if (!isWireHeader(name) || BUILT_HEADERS.contains(name)) {
                continue;
            }
            for (String value : values(entry.getValue())) {
                Header header = headers.createHeader(name, value);
                request.addHeader(header);
            }
        }
        return request;
    }

    /** Writes a response's outcome into a Camel message. */
    public static void fromResponse(Response response, Message message) {
        message.setHeader(SipMessageConstants.STATUS_CODE, response.getStatusCode());
        message.setHeader(SipMessageConstants.REASON_PHRASE, response.getReasonPhrase());
    }

    static boolean isWireHeader(String name) {
        if (name == null || name.isEmpty() || name.regionMatches(true, 0, "Camel", 0, 5)
                || name.startsWith("org.apache.camel.")) {
            return false;
        }
        return isToken(name) && !STACK_HEADERS.contains(name);
    }

    /** RFC 3261 token characters only (a loop: this runs for every header of every request sent). */
    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || TOKEN_MARKS.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
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
