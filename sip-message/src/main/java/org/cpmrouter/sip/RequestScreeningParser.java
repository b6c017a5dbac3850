package org.cpmrouter.sip;

import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import gov.nist.javax.sip.address.GenericURI;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.ParserFactory;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.parser.URLParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's message parser with the request checks it lacks, so that a malformed request is answered on every
 * transport with one clear reason instead of being forgiven, dropped, or (over TCP) closing the connection.
 *
 * <ul>
 * <li>A request the stack's parser rejects (bad Request-Line, bad Via, From, To, Call-ID, CSeq, Max-Forwards,
 * Content-Type or Content-Length, a folded line with no header before it) is rebuilt from its Via, From, To,
 * Call-ID and CSeq and marked with a {@link RequestDefect} 400, so that {@link SipNode} answers it through a
 * server transaction, over UDP and TCP alike. When those headers are unusable no response can be addressed and
 * the request is dropped, on every transport: a datagram's parse gives the stack nothing (the stack would
 * otherwise answer it with a 400 of its own, copied from the request's text and framed wrongly: a blank line
 * inside its head, the request's own line ends).</li>
 * <li>A parsed request is still refused when a single-valued header appears twice (RFC 4475 sections 3.3.8 and
 * 3.3.9), a control character stands outside a quoted-pair (anywhere in a Call-ID, whose grammar has no
 * quoted-pair), a Via port is outside 1-65535, its CSeq number is not below 2^31, or its SIP-Version is not 2.0
 * (505, RFC 3261 section 8.2.1; the stack's parser reads every version as 2.0). A CSeq method that is not the
 * request's the stack answers itself ("400 Bad request").</li>
 * <li>In a datagram, bytes past the Content-Length are discarded and a Content-Length past the end of the datagram
 * is a 400 (RFC 3261 section 18.3; the stack answers both with 400); a datagram that filled the receive buffer was
 * cut short and is answered 513. Over a stream a request needs a Content-Length (section 18.3).</li>
 * </ul>
 * An optional header the parser cannot read is kept as text, as the stack does (RFC 4475 section 3.1.2 lets an
 * element be liberal there). Responses are parsed as the stack parses them; one it cannot parse is dropped
 * quietly (the stack's channels would log it at ERROR, and answer a 400 to one that does not start with "SIP/").
 */
final class RequestScreeningParser implements MessageParser {

    private static final Logger LOG = LoggerFactory.getLogger(RequestScreeningParser.class);

    /** Headers a response to the request is built from: without them a refusal cannot be addressed. */
    private static final Set<String> ANSWER_HEADERS = Set.of("via", "from", "to", "call-id", "cseq");
    /** Headers that may appear once (RFC 3261 section 7.3.1: only comma-list headers may repeat). */
    private static final Map<String, String> SINGLE_VALUED = Map.of("call-id", "Call-ID", "cseq", "CSeq",
            "from", "From", "to", "To", "max-forwards", "Max-Forwards", "content-length", "Content-Length",
            "content-type", "Content-Type");
    /** Headers whose value must parse for the request to be taken. */
    private static final List<Class<?>> REQUIRED_WELL_FORMED = List.of(Via.class, From.class, To.class,
            CallID.class, CSeq.class, MaxForwards.class, ContentType.class, ContentLength.class);
    private static final Pattern SIP_VERSION = Pattern.compile("SIP/(\\d{1,4})\\.(\\d{1,4})",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");

    private final MessageParser stackParser = new StringMsgParser();
    private final int datagramLimit;

    /** @param datagramLimit the stack's receive buffer for a datagram: one that fills it was cut short */
    RequestScreeningParser(int datagramLimit) {
        this.datagramLimit = datagramLimit;
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict,
                                      ParseExceptionListener channel) throws ParseException {
        boolean datagram = readBody; // the stack reads a stream's body itself, after the head
        if (bytes == null || RawMessageHead.isResponseOrEmpty(bytes)) {
            return parsedAsTheStackDoes(bytes, readBody, strict, datagram);
        }
        RawMessageHead head = RawMessageHead.read(bytes);
        if (datagram && bytes.length >= datagramLimit) {
            return salvage(head, new RequestDefect(513, "Message Too Large"), true);
        }
        String unprintable = answerHeaderWithControlCharacter(head);
        if (unprintable != null) {
            // a response copies that header: it would carry the control character too, and be malformed itself
            return dropped(head, RequestDefect.malformed("Control character in " + unprintable + " header"),
                    datagram);
        }
        RequestDefect defect = headDefect(head);
        Integer declared = declaredLength(head);
        int available = bytes.length - head.bodyOffset();
        if (datagram && defect == null && declared != null && declared > available) {
            return salvage(head, RequestDefect.malformed("Content-Length larger than the body"), true);
        }
        byte[] wire = datagram && declared != null && declared < available
                ? Arrays.copyOf(bytes, head.bodyOffset() + declared) : bytes;
        FirstFailure failure = new FirstFailure();
        SIPMessage message;
        try {
            message = stackParser.parseSIPMessage(wire, readBody, strict, failure);
        } catch (ParseException | RuntimeException e) {
            return salvage(head, defect != null ? defect : RequestDefect.malformed(failure.reason(head)), datagram);
        }
        if (!(message instanceof SIPRequest)) {
            return message;
        }
        if (datagram && lacksAnswerHeaders(message)) {
            // the stack drops it too, after failing on the missing CSeq with an error of its own
            LOG.info("callId={} request dropped: no Via, From, To, Call-ID or CSeq to answer it with",
                    LogText.of(head.first("call-id")));
            return null;
        }
        if (datagram && declared == null && available > 0) {
            // no Content-Length in a datagram: the body is the rest of it (the stack would drop it)
            message.setMessageContent(Arrays.copyOfRange(bytes, head.bodyOffset(), bytes.length));
        }
        RequestDefect viaPort = viaPortDefect(message);
        if (defect == null) {
            defect = viaPort != null ? viaPort : requestDefect(head, (SIPRequest) message, !datagram);
        }
        message.setApplicationData(defect);
        return message;
    }

    /**
     * A message that is not a request this parser screens (a response, or nothing but control characters), parsed
     * as the stack parses it. In a datagram, one the stack's parser cannot read is dropped here, with a DEBUG line:
     * the UDP channel would log it at ERROR with the text it was sent, and answer a 400 of its own to one that does
     * not start with "SIP/".
     */
    private SIPMessage parsedAsTheStackDoes(byte[] bytes, boolean readBody, boolean strict, boolean datagram)
            throws ParseException {
        try {
            return stackParser.parseSIPMessage(bytes, readBody, strict, new StackRules());
        } catch (ParseException | RuntimeException e) {
            if (!datagram) {
                throw e;
            }
            LOG.debug("unreadable datagram dropped: {}", LogText.of(e.getMessage()));
            return null;
        }
    }

    /**
     * The name of the first header a response copies (Via, From, To, Call-ID, CSeq) that holds a control character
     * outside a quoted-pair; null when none does.
     */
    private static String answerHeaderWithControlCharacter(RawMessageHead head) {
        List<String> lines = head.headerLines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String name = head.headerNames().get(i);
            if (ANSWER_HEADERS.contains(name) && hasControlCharacter(line, quotable(name))) {
                return name.equals("via") ? "Via" : SINGLE_VALUED.get(name);
            }
        }
        return null;
    }

    /** What is wrong in the text of the head whether or not the stack's parser takes it. */
    private static RequestDefect headDefect(RawMessageHead head) {
        if (hasControlCharacter(head.startLine(), true)) {
            return RequestDefect.malformed("Control character in the Request-Line");
        }
        List<String> lines = head.headerLines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (hasControlCharacter(line, quotable(head.headerNames().get(i)))) {
                return RequestDefect.malformed("Control character in " + nameForReason(line) + " header");
            }
        }
        String repeated = head.firstRepeated(SINGLE_VALUED.keySet());
        return repeated == null ? null : RequestDefect.malformed("Duplicate " + SINGLE_VALUED.get(repeated) + " header");
    }

    /** What the stack's parser forgives in a request it did parse; null when nothing. */
    private static RequestDefect requestDefect(RawMessageHead head, SIPRequest request, boolean stream) {
        Matcher version = SIP_VERSION.matcher(head.version());
        if (!version.matches()) {
            return RequestDefect.malformed("Malformed SIP-Version");
        }
        if (Integer.parseInt(version.group(1)) != 2 || Integer.parseInt(version.group(2)) != 0) {
            return new RequestDefect(505, "Version Not Supported");
        }
        if (request.getCSeq() != null && request.getCSeq().getSeqNumber() >= 1L << 31) {
            return RequestDefect.malformed("Malformed CSeq header"); // RFC 3261 section 8.1.1.5; the stack takes 2^31
        }
        if (stream && head.count("content-length") == 0) { // RFC 3261 section 18.3: the frame is unknown
            return RequestDefect.malformed("Content-Length required on a stream transport");
        }
        return null;
    }

    /**
     * A control character outside a quoted-pair: RFC 3261 section 25.1 allows one only escaped in a quoted string
     * ({@code "\\" %x00-09 / %x0B-0C / %x0E-7F}; RFC 4475 section 3.1.1.2). CR and LF end lines; HT is white
     * space.
     */
    private static boolean hasControlCharacter(String line, boolean quotable) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++; // a quoted-pair: the next character, whatever it is, is text
            } else if (c == '"' && quotable) {
                quoted = !quoted;
            } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a header's value may hold a quoted-string, inside which a quoted-pair may escape a control character.
     * A Call-ID is words (RFC 3261 section 25.1): a quote or a backslash there is a character, not a quoting.
     */
    private static boolean quotable(String name) {
        return !name.equals("call-id");
    }

    /** A header's name as written, for a reason phrase: only when it is a plain token. */
    private static String nameForReason(String line) {
        int colon = line.indexOf(':');
        String name = colon > 0 ? line.substring(0, colon).strip() : "";
        return name.matches("[A-Za-z0-9.!%*_+`'~-]{1,40}") ? name : "a";
    }

    /**
     * Rebuilds a request the stack could not parse from the headers a response needs, marked to be refused.
     * When those are missing or unreadable nothing can be answered and the request is {@link #dropped}.
     */
    private static SIPMessage salvage(RawMessageHead head, RequestDefect defect, boolean datagram) {
        SIPRequest request = new SIPRequest();
        boolean usable = true;
        for (String line : head.headerLines()) {
            if (!ANSWER_HEADERS.contains(RawMessageHead.nameOf(line))) {
                continue;
            }
            try {
                request.attachHeader(ParserFactory.createParser(line + "\n").parse(), false);
            } catch (Exception unreadable) {
                usable = false;
                break;
            }
        }
        if (!usable || lacksAnswerHeaders(request)) {
            return dropped(head, defect, datagram);
        }
        request.setRequestLine(new RequestLine(requestUri(head, request), request.getCSeq().getMethod()));
        request.setContentLength(new ContentLength(streamFrame(head, datagram)));
        viaPortDefect(request); // the refusal must find its way back too
        request.setApplicationData(defect);
        return request;
    }

    /**
     * A request no response can be built for, dropped with one INFO line. A datagram's parse gives the stack
     * nothing, so that it answers nothing (its own 400 would be copied from the request's text, framed wrongly).
     * A stream gets a request with nothing but its Content-Length, which the stack reads the body of and then
     * drops for want of From, To and Call-ID, so that the next request on the connection stays framed.
     */
    private static SIPMessage dropped(RawMessageHead head, RequestDefect defect, boolean datagram) {
        LOG.info("callId={} request dropped: {}, and no usable Via, From, To, Call-ID and CSeq to answer it",
                LogText.of(head.first("call-id")), defect.reason());
        return datagram ? null : framing(streamFrame(head, false));
    }

    /**
     * What the stack is given in place of a request read from a stream and answered without it (refused before it
     * was parsed): its Content-Length alone, for the stack to read the body by and then drop, so that the next
     * request on the connection stays framed. Null when the head's Content-Length is absent or not a plain number:
     * such a request is left to the parser, whose screening answers it.
     */
    static SIPMessage streamFraming(byte[] head) {
        Integer declared = declaredLength(RawMessageHead.read(head));
        return declared == null ? null : framing(declared);
    }

    private static SIPMessage framing(int contentLength) {
        SIPRequest framing = new SIPRequest();
        framing.setContentLength(new ContentLength(contentLength));
        return framing;
    }

    /** The body length the stack reads after a stream's head: the Content-Length as written; 0 in a datagram. */
    private static int streamFrame(RawMessageHead head, boolean datagram) {
        Integer declared = declaredLength(head);
        return datagram || declared == null ? 0 : declared;
    }

    private static boolean lacksAnswerHeaders(SIPMessage message) {
        return message.getTopmostVia() == null || message.getFrom() == null || message.getTo() == null
                || message.getCallId() == null || message.getCSeq() == null;
    }

    /** The Request-URI as written when it parses, else the To URI (a response does not carry it anyway). */
    private static GenericURI requestUri(RawMessageHead head, SIPRequest request) {
        String written = head.requestUri();
        if (written != null) {
            try {
                return new URLParser(written).uriReference(true);
            } catch (ParseException | RuntimeException unreadable) {
                // fall through to To
            }
        }
        return (GenericURI) request.getTo().getAddress().getURI();
    }

    /** The Content-Length as written, when it is a plain number; null when absent or unreadable. */
    private static Integer declaredLength(RawMessageHead head) {
        String value = head.first("content-length");
        return value != null && DIGITS.matcher(value).matches() ? Integer.valueOf(value) : null;
    }

    /**
     * A Via port outside 1-65535 (RFC 3261's port is any number of digits): nothing can be sent there, and the
     * stack would fail at the send with an error of its own. The request is refused 400, and its top Via gets
     * {@code rport} (RFC 3581) so that the UDP channel writes the datagram's source address and port into it and
     * the refusal goes back there: RFC 3261 section 18.2.2 answers a request at its source when the Via asks for
     * it. Over a stream the refusal goes back on the connection anyway. Null when every port is usable.
     */
    private static RequestDefect viaPortDefect(SIPMessage request) {
        ViaList vias = request.getViaHeaders();
        if (vias == null) {
            return null;
        }
        for (Via via : vias) {
            int port = via.getPort();
            if (port != -1 && (port < 1 || port > 65535)) {
                request.getTopmostVia().setRPort();
                return RequestDefect.malformed("Via port out of range");
            }
        }
        return null;
    }

    /**
     * What the stack's channels decide about a header their parser cannot read, without what else they do then
     * (an ERROR line quoting the message, a 400 of their own): a Via, From, To, Call-ID, CSeq, Content-Length or
     * start line that does not parse fails the message; any other header is kept as text.
     */
    private static final class StackRules implements ParseExceptionListener {

        private static final List<Class<?>> REQUIRED = List.of(Via.class, From.class, To.class, CallID.class,
                CSeq.class, ContentLength.class, RequestLine.class, StatusLine.class);

        @Override
        public void handleException(ParseException ex, SIPMessage message, Class headerClass, String header,
                                    String rawMessage) throws ParseException {
            if (headerClass != null && REQUIRED.contains(headerClass)) {
                throw ex;
            }
            message.addUnparsed(header);
        }
    }

    /**
     * Remembers which part the stack's parser refused first and stops the parse there when it is one a request
     * cannot do without; an unreadable optional header is kept as text, as the stack keeps it.
     */
    private static final class FirstFailure implements ParseExceptionListener {

        private String reason;

        @Override
        public void handleException(ParseException ex, SIPMessage message, Class headerClass, String header,
                                    String rawMessage) throws ParseException {
            if (headerClass == RequestLine.class) {
                reason = "Malformed Request-Line";
                throw ex;
            }
            if (headerClass != null && REQUIRED_WELL_FORMED.contains(headerClass)) {
                reason = "Malformed " + displayName(header) + " header";
                throw ex;
            }
            message.addUnparsed(header);
        }

        String reason(RawMessageHead head) {
            if (reason != null) {
                return reason;
            }
            return head.hasContinuationWithoutHeader() ? "Malformed header folding" : "Malformed request";
        }

        private static String displayName(String headerLine) {
            String name = RawMessageHead.nameOf(headerLine == null ? "" : headerLine);
            if (SINGLE_VALUED.containsKey(name)) {
                return SINGLE_VALUED.get(name);
            }
            return name.equals("via") ? "Via" : "required";
        }
    }
}
