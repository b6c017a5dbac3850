package org.cpmrouter.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

import org.cpmrouter.sip.FuzzCase.Expected;

/**
 * A seeded generator of malformed SIP MESSAGE requests, each a mutation of one valid MESSAGE, with the outcome the
 * RFCs require for it: refused with a given status and reason, taken with a given body (mutations that leave the
 * request valid, or that RFC 3261 says to read liberally), or dropped (nothing to address a response with).
 * Same seed, same cases.
 *
 * <p>A request whose Via, From, To, Call-ID or CSeq does not parse cannot be answered and is dropped, on both
 * transports (the stack's own textual 400, framed wrongly, never goes out). Every other malformed request is
 * answered by the node's screening, on both transports alike. The cases PROTOS c07-sip found are here too: a Via
 * port outside 1-65535 (refused 400, the answer going to the source port) and control characters in a Call-ID,
 * quoted or not (dropped: a response would copy them).
 */
final class MalformedRequestGenerator {

    /** Characters that cannot appear in a method token (RFC 3261 section 25.1: separators, SP, HT, controls). */
    private static final String NON_TOKEN = "()<>@,;:\\\"/[]?={}";
    /** "SIP/" and something: the stack reads a version there, which the node then finds malformed. */
    private static final Pattern CUT_VERSION = Pattern.compile("SIP/\\S+");

    private enum Kind {
        START_LINE_TRUNCATED, METHOD_BAD_CHAR, VERSION_UNSUPPORTED, VERSION_MALFORMED, VERSION_LOWER_CASE,
        HEADER_MISSING, HEADER_DUPLICATED, CSEQ_MALFORMED, CSEQ_OUT_OF_RANGE, CSEQ_METHOD_MISMATCH,
        CONTENT_LENGTH_BAD, FOLDING, REQUEST_URI_MALFORMED, REQUEST_URI_UNKNOWN_SCHEME, ADDRESS_MALFORMED,
        NUL_AND_HIGH_BYTES, HEADER_HUGE, VIA_MALFORMED, VIA_PORT_OUT_OF_RANGE, CALL_ID_CONTROL_CHARACTER,
        BODY_BYTES_FLIPPED;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Random random;
    private final int serverPort;
    private final int udpPeerPort;

    MalformedRequestGenerator(long seed, int serverPort, int udpPeerPort) {
        this.random = new Random(seed);
        this.serverPort = serverPort;
        this.udpPeerPort = udpPeerPort;
    }

    /** The next case; about one in four goes over TCP. */
    FuzzCase next(int index) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        String transport = random.nextInt(4) == 0 ? "tcp" : "udp";
        Draft d = new Draft(index, transport);
        return make(kind, d);
    }

    private FuzzCase make(Kind kind, Draft d) {
        switch (kind) {
            case START_LINE_TRUNCATED: return startLineTruncated(d);
            case METHOD_BAD_CHAR: return methodBadChar(d);
            case VERSION_UNSUPPORTED: return versionUnsupported(d);
            case VERSION_MALFORMED: return versionMalformed(d);
            case VERSION_LOWER_CASE: return versionLowerCase(d);
            case HEADER_MISSING: return headerMissing(d);
            case HEADER_DUPLICATED: return headerDuplicated(d);
            case CSEQ_MALFORMED: return cseqMalformed(d);
            case CSEQ_OUT_OF_RANGE: return cseqOutOfRange(d);
            case CSEQ_METHOD_MISMATCH: return cseqMethodMismatch(d);
            case CONTENT_LENGTH_BAD: return contentLengthBad(d);
            case FOLDING: return folding(d);
            case REQUEST_URI_MALFORMED: return requestUriMalformed(d);
            case REQUEST_URI_UNKNOWN_SCHEME: return requestUriUnknownScheme(d);
            case ADDRESS_MALFORMED: return addressMalformed(d);
            case NUL_AND_HIGH_BYTES: return nulAndHighBytes(d);
            case HEADER_HUGE: return headerHuge(d);
            case VIA_MALFORMED: return viaMalformed(d);
            case VIA_PORT_OUT_OF_RANGE: return viaPortOutOfRange(d);
            case CALL_ID_CONTROL_CHARACTER: return callIdControlCharacter(d);
            case BODY_BYTES_FLIPPED: return bodyBytesFlipped(d);
            default: throw new IllegalStateException(kind.name());
        }
    }

    // --- the start line ---------------------------------------------------------------------------------------

    /** A strict prefix of the start line: no SIP-Version, or a cut one. */
    private FuzzCase startLineTruncated(Draft d) {
        String line = d.startLine;
        String cut = line.substring(0, 1 + random.nextInt(line.length() - 1)).stripTrailing();
        d.startLine = cut;
        String[] words = cut.split(" ");
        String reason = words.length == 3 && CUT_VERSION.matcher(words[2]).matches()
                ? "Malformed SIP-Version" : "Malformed Request-Line";
        return d.toCase(Kind.START_LINE_TRUNCATED.label(), Expected.refused(400, reason));
    }

    /** A separator, which no method token may hold, in place of one of MESSAGE's letters. */
    private FuzzCase methodBadChar(Draft d) {
        char bad = NON_TOKEN.charAt(random.nextInt(NON_TOKEN.length()));
        int at = random.nextInt("MESSAGE".length());
        d.startLine = "MESSAGE".substring(0, at) + bad + d.startLine.substring(at + 1);
        return d.toCase(Kind.METHOD_BAD_CHAR.label() + "/" + String.format("0x%02x", (int) bad),
                Expected.refused(400, "Malformed Request-Line"));
    }

    /** A well-formed SIP-Version other than 2.0: 505 (RFC 3261 section 8.2.1; RFC 4475 section 3.1.2.16). */
    private FuzzCase versionUnsupported(Draft d) {
        String version = pick("SIP/3.0", "SIP/1.0", "SIP/2.1", "SIP/7.0", "SIP/20.0");
        d.startLine = d.startLine.replace("SIP/2.0", version);
        return d.toCase(Kind.VERSION_UNSUPPORTED.label() + "/" + version,
                Expected.refused(505, "Version Not Supported"));
    }

    /** A SIP-Version that is not "SIP/" DIGITS "." DIGITS. */
    private FuzzCase versionMalformed(Draft d) {
        String version = pick("HTTP/1.1", "SIP/two", "SIP2.0", "SIP/2.0.1", "SIP/2", "SIP/2.", "SIP/ 2.0");
        d.startLine = d.startLine.replace("SIP/2.0", version);
        return d.toCase(Kind.VERSION_MALFORMED.label() + "/" + version, Expected.refused(400,
                CUT_VERSION.matcher(version).matches() ? "Malformed SIP-Version" : "Malformed Request-Line"));
    }

    /** "sip/2.0": the version is case-insensitive (RFC 3261 section 7.1), so the request is valid. */
    private FuzzCase versionLowerCase(Draft d) {
        d.startLine = d.startLine.replace("SIP/2.0", "sip/2.0");
        return d.toCase(Kind.VERSION_LOWER_CASE.label(), Expected.delivered(d.body));
    }

    // --- headers ------------------------------------------------------------------------------------------------

    /**
     * Without Via, From, To, Call-ID or CSeq no response can be addressed: dropped. Max-Forwards may be missing
     * (a proxy adds it). Content-Length may be missing in a datagram (the body is the rest of it) but not over a
     * stream (RFC 3261 section 18.3).
     */
    private FuzzCase headerMissing(Draft d) {
        String name = pick("Via", "From", "To", "Call-ID", "CSeq", "Max-Forwards", "Content-Length");
        d.remove(name);
        Expected expected;
        if (name.equals("Max-Forwards")) {
            expected = Expected.delivered(d.body);
        } else if (name.equals("Content-Length")) {
            expected = d.isUdp() ? Expected.delivered(d.body)
                    : Expected.refused(400, "Content-Length required on a stream transport");
        } else {
            expected = Expected.dropped();
        }
        return d.toCase(Kind.HEADER_MISSING.label() + "/" + name, expected);
    }

    /** A second value of a single-valued header (RFC 4475 sections 3.3.8, 3.3.9); a second Via is a valid hop. */
    private FuzzCase headerDuplicated(Draft d) {
        String name = pick("From", "To", "Call-ID", "CSeq", "Max-Forwards", "Content-Type", "Content-Length", "Via");
        boolean compact = random.nextBoolean();
        String line;
        switch (name) {
            case "From": line = (compact ? "f" : "From") + ": <sip:carol@cpm.example.com>;tag=" + random.nextInt(1000);
                break;
            case "To": line = (compact ? "t" : "To") + ": <sip:dave@cpm.example.com>"; break;
            case "Call-ID": line = (compact ? "i" : "Call-ID") + ": other-" + random.nextInt(1000) + "@127.0.0.1"; break;
            case "CSeq": line = "CSeq: " + (2000 + random.nextInt(1000)) + " MESSAGE"; break;
            case "Max-Forwards": line = "Max-Forwards: " + random.nextInt(70); break;
            case "Content-Type": line = (compact ? "c" : "Content-Type") + ": message/cpim"; break;
            // the same value twice over TCP: a second, different length would also break the stream's framing
            case "Content-Length": line = (compact ? "l" : "Content-Length") + ": "
                    + (d.isUdp() ? d.body.length + 1 + random.nextInt(5) : d.body.length); break;
            default: line = "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKhop" + random.nextInt(1000); break;
        }
        if (name.equals("Via")) {
            d.headers.add(d.indexOf("Via") + 1, line); // below the sender's own Via: an earlier hop
            return d.toCase(Kind.HEADER_DUPLICATED.label() + "/Via", Expected.delivered(d.body));
        }
        d.insertAfter(name, line);
        return d.toCase(Kind.HEADER_DUPLICATED.label() + "/" + name + (compact ? "/compact" : ""),
                Expected.refused(400, "Duplicate " + name + " header"));
    }

    /** A CSeq that does not parse: nothing to match a response to, dropped. */
    private FuzzCase cseqMalformed(Draft d) {
        String value = pick("abc MESSAGE", "MESSAGE", "1", "-1 MESSAGE", "1.5 MESSAGE", "2147483649 MESSAGE",
                "99999999999999999999 MESSAGE", "1 MESSAGE extra");
        d.set("CSeq", value);
        return d.toCase(Kind.CSEQ_MALFORMED.label() + "/" + value, unaddressable());
    }

    /** 2^31 parses but is out of range (RFC 3261 section 8.1.1.5: less than 2^31). */
    private FuzzCase cseqOutOfRange(Draft d) {
        d.set("CSeq", "2147483648 MESSAGE");
        return d.toCase(Kind.CSEQ_OUT_OF_RANGE.label(), Expected.refused(400, "Malformed CSeq header"));
    }

    /** The CSeq method is not the request's (RFC 3261 section 8.1.1.5): the stack answers it itself. */
    private FuzzCase cseqMethodMismatch(Draft d) {
        String method = pick("INVITE", "REGISTER", "OPTIONS", "BYE");
        d.set("CSeq", "7 " + method);
        return d.toCase(Kind.CSEQ_METHOD_MISMATCH.label() + "/" + method, Expected.refused(400, "Bad request"));
    }

    /**
     * Content-Length against the body (RFC 3261 section 18.3): in a datagram, bytes past it are discarded and a
     * length past the end is a 400; over a stream it is the frame, so a short one cuts the body. Negative or not a
     * number: malformed.
     */
    private FuzzCase contentLengthBad(Draft d) {
        String variant = d.isUdp() ? pick("too-big", "too-small", "negative", "not-a-number", "two-values")
                : pick("too-small", "negative", "not-a-number");
        Expected expected;
        switch (variant) {
            case "too-big":
                d.set("Content-Length", Integer.toString(d.body.length + 1 + random.nextInt(5000)));
                expected = Expected.refused(400, "Content-Length larger than the body");
                break;
            case "too-small": {
                int length = random.nextInt(d.body.length);
                d.set("Content-Length", Integer.toString(length));
                expected = Expected.delivered(Arrays.copyOf(d.body, length));
                break;
            }
            case "negative":
                d.set("Content-Length", "-" + (1 + random.nextInt(999)));
                expected = Expected.refused(400, "Malformed Content-Length header");
                break;
            case "not-a-number":
                d.set("Content-Length", pick("abc", "12a", "0x10", "1 2", "+5"));
                expected = Expected.refused(400, "Malformed Content-Length header");
                break;
            default:
                d.insertAfter("Content-Length", "Content-Length: " + (d.body.length + 1));
                expected = Expected.refused(400, "Duplicate Content-Length header");
                break;
        }
        return d.toCase(Kind.CONTENT_LENGTH_BAD.label() + "/" + variant, expected);
    }

    /**
     * A folded line before any header is malformed; a header value folded onto a second line (LWS, RFC 3261
     * section 7.3.1) is valid.
     */
    private FuzzCase folding(Draft d) {
        if (random.nextBoolean()) {
            d.headers.add(0, (random.nextBoolean() ? " " : "\t") + "folded-without-header: " + random.nextInt(100));
            return d.toCase(Kind.FOLDING.label() + "/before-first-header",
                    Expected.refused(400, "Malformed header folding"));
        }
        if (random.nextBoolean()) {
            d.set("Subject", "a subject\r\n that goes on\r\n\tover three lines");
        } else {
            int from = d.indexOf("From");
            d.headers.set(from, d.headers.get(from).replace(";tag=", "\r\n ;tag="));
        }
        return d.toCase(Kind.FOLDING.label() + "/value-continued", Expected.delivered(d.body));
    }

    private FuzzCase requestUriMalformed(Draft d) {
        String uri = pick("sip:", "sip:bob@", "sip:bob@[::1", "<sip:bob@127.0.0.1>", "sip:bob@exa mple.com",
                "sip:bob@127.0.0.1:5060:5060", "sip:bob@127.0.0.1>");
        d.startLine = "MESSAGE " + uri + " SIP/2.0";
        return d.toCase(Kind.REQUEST_URI_MALFORMED.label() + "/" + uri,
                Expected.refused(400, "Malformed Request-Line"));
    }

    /** A well-formed absolute URI of a scheme the node does not serve: 416 (RFC 3261 section 8.2.2.1). */
    private FuzzCase requestUriUnknownScheme(Draft d) {
        String uri = pick("foo:bar", "http://example.com/bob", "im:bob@example.com", "mailto:bob@example.com");
        d.startLine = "MESSAGE " + uri + " SIP/2.0";
        return d.toCase(Kind.REQUEST_URI_UNKNOWN_SCHEME.label() + "/" + uri,
                Expected.refused(416, "Unsupported URI Scheme"));
    }

    /** A From or To that does not parse (an unclosed quote, no URI, an unclosed angle bracket). */
    private FuzzCase addressMalformed(Draft d) {
        String name = pick("From", "To");
        String value = pick("\"Bob <sip:bob@cpm.example.com>", "<sip:bob@cpm.example.com", "<>", "<sip:>");
        d.set(name, value + (name.equals("From") ? ";tag=x" : ""));
        return d.toCase(Kind.ADDRESS_MALFORMED.label() + "/" + name, unaddressable());
    }

    /**
     * NUL and bytes over 0x7f: kept exactly in a body; a control character in the start line or a header is
     * malformed unless a quoted-pair escapes it (RFC 3261 section 25.1). A UTF-8 letter in the method is taken as a token
     * character by the stack, which then refuses the method for not being the CSeq's.
     */
    private FuzzCase nulAndHighBytes(Draft d) {
        String variant = pick("nul-in-body", "high-bytes-in-body", "nul-in-method", "high-byte-in-method",
                "nul-in-call-id", "leading-nuls", "utf8-display-name", "escaped-nul-in-display-name");
        Expected expected;
        switch (variant) {
            case "nul-in-body":
                d.body[random.nextInt(d.body.length)] = 0;
                expected = Expected.delivered(d.body);
                break;
            case "high-bytes-in-body":
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    d.body[random.nextInt(d.body.length)] = (byte) (0x80 + random.nextInt(0x80));
                }
                expected = Expected.delivered(d.body);
                break;
            case "nul-in-method":
                d.startLine = "MES\u0000SAGE" + d.startLine.substring("MESSAGE".length());
                expected = Expected.refused(400, "Control character in the Request-Line");
                break;
            case "high-byte-in-method":
                d.startLine = "MESS\u00e9GE" + d.startLine.substring("MESSAGE".length());
                expected = Expected.refused(400, "Bad request");
                break;
            case "nul-in-call-id":
                // a response must copy the Call-ID, and would be malformed with it: nothing to answer with
                d.callId = d.callId.replace("@", "\u0000@");
                d.set("Call-ID", d.callId);
                expected = Expected.dropped();
                break;
            case "leading-nuls":
                // control bytes before the start line are skipped, like the CRLFs a stream may carry (RFC 3261
                // section 7.5)
                return d.toCase(Kind.NUL_AND_HIGH_BYTES.label() + "/" + variant,
                        concat(new byte[1 + random.nextInt(3)], d.encode()), Expected.delivered(d.body));
            case "escaped-nul-in-display-name":
                // a quoted-pair may escape any control character (RFC 3261 section 25.1; RFC 4475 section 3.1.1.2)
                d.set("From", "\"Al\\\u0000ice \\\u0007\" <sip:alice@cpm.example.com>;tag=qp");
                expected = Expected.delivered(d.body);
                break;
            default:
                // a quoted display name may hold any UTF-8 (RFC 3261 section 25.1, quoted-string)
                d.set("From", "\"Al\u00efce \u00d8stergaard \u4e2d\" <sip:alice@cpm.example.com>;tag=u8");
                expected = Expected.delivered(d.body);
                break;
        }
        return d.toCase(Kind.NUL_AND_HIGH_BYTES.label() + "/" + variant, expected);
    }

    /**
     * A very long header line. A datagram that fills the node's 8 KiB receive buffer was cut: 513 (RFC 3261
     * section 21.5.14). Below that, or over TCP below its 4 KiB header limit, the request is valid.
     */
    private FuzzCase headerHuge(Draft d) {
        boolean tooLarge = d.isUdp() && random.nextBoolean();
        int length = tooLarge ? 8200 + random.nextInt(20000) : 1000 + random.nextInt(d.isUdp() ? 6000 : 2500);
        d.set("Subject", "x".repeat(length));
        return d.toCase(Kind.HEADER_HUGE.label() + "/" + (tooLarge ? "over-8k" : "under-limit"),
                tooLarge ? Expected.refused(513, "Message Too Large") : Expected.delivered(d.body));
    }

    private FuzzCase viaMalformed(Draft d) {
        String sentBy = d.isUdp() ? "127.0.0.1:" + udpPeerPort : "127.0.0.1";
        String value = pick("SIP/2.0/UDP", "garbage", "SIP/2.0/UDP " + sentBy + ";;,;,,", "SIP/2.0 " + sentBy,
                "SIP/2.0/UDP [127.0.0.1;branch=z9hG4bKx");
        d.set("Via", value);
        return d.toCase(Kind.VIA_MALFORMED.label() + "/" + value, unaddressable());
    }

    /**
     * A Via port no datagram can go to (PROTOS c07-sip): 400, sent back to the port the request came from (the
     * probe's, which the top Via names only when the bad port is in a lower Via). Over TCP the answer goes back on
     * the connection.
     */
    private FuzzCase viaPortOutOfRange(Draft d) {
        String port = pick("0", "65536", "70000", "99999", "2147483647");
        boolean top = random.nextBoolean();
        String transport = d.transport.toUpperCase(Locale.ROOT);
        String bad = "Via: SIP/2.0/" + transport + " 127.0.0.1:" + port + ";branch=z9hG4bKport" + random.nextInt(1000);
        if (top) {
            d.headers.set(d.indexOf("Via"), bad);
        } else {
            d.headers.add(d.indexOf("Via") + 1, bad); // below the sender's own Via: an earlier hop
        }
        return d.toCase(Kind.VIA_PORT_OUT_OF_RANGE.label() + "/" + (top ? "top/" : "lower/") + port,
                Expected.refused(400, "Via port out of range"));
    }

    /**
     * NUL or ESC in the Call-ID (PROTOS c07-sip): malformed even inside quotes and after a backslash, since a
     * Call-ID's words have no quoted-pair (RFC 3261 section 25.1). A response would copy it and be malformed
     * itself, so nothing can answer it: dropped.
     */
    private FuzzCase callIdControlCharacter(Draft d) {
        String variant = pick("nul", "esc", "quoted-esc", "escaped-nul");
        String inserted = switch (variant) {
            case "nul" -> "\u0000";
            case "esc" -> "\u001b[31m";
            case "quoted-esc" -> "\"\u001b\"";
            default -> "\"\\\u0000\"";
        };
        d.callId = d.callId.replace("@", inserted + "@");
        d.set("Call-ID", d.callId);
        return d.toCase(Kind.CALL_ID_CONTROL_CHARACTER.label() + "/" + variant, Expected.dropped());
    }

    /** Random bytes of the body changed: delivered byte for byte. */
    private FuzzCase bodyBytesFlipped(Draft d) {
        for (int i = 0; i < 1 + random.nextInt(6); i++) {
            d.body[random.nextInt(d.body.length)] = (byte) random.nextInt(256);
        }
        return d.toCase(Kind.BODY_BYTES_FLIPPED.label(), Expected.delivered(d.body));
    }

    /**
     * A header a response is addressed with does not parse: nothing to answer with, on either transport. (Over
     * UDP the stack would answer from the request's text, with a 400 whose head its Content-Type line ends early.)
     */
    private static Expected unaddressable() {
        return Expected.dropped();
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The valid MESSAGE every case starts from. */
    private final class Draft {

        final int index;
        final String transport;
        String callId;
        String startLine;
        final List<String> headers;
        final byte[] body;

        Draft(int index, String transport) {
            this.index = index;
            this.transport = transport;
            this.callId = "fuzz-" + index + "-" + Long.toHexString(random.nextLong() >>> 1) + "@127.0.0.1";
            String sentBy = isUdp() ? "127.0.0.1:" + udpPeerPort : "127.0.0.1";
            this.startLine = "MESSAGE sip:bob@127.0.0.1:" + serverPort + " SIP/2.0";
            this.body = printable(8 + random.nextInt(120));
            this.headers = new ArrayList<>(List.of(
                    "Via: SIP/2.0/" + transport.toUpperCase(Locale.ROOT) + " " + sentBy + ";rport;branch=z9hG4bKfuzz"
                            + index + "x" + Integer.toHexString(random.nextInt()),
                    "Max-Forwards: 70",
                    "From: <sip:alice@cpm.example.com>;tag=f" + index,
                    "To: <sip:bob@cpm.example.com>",
                    "Call-ID: " + callId,
                    "CSeq: " + (1 + random.nextInt(1000)) + " MESSAGE",
                    "Subject: fuzz case " + index,
                    "Content-Type: text/plain",
                    "Content-Length: " + body.length));
        }

        boolean isUdp() {
            return transport.equals("udp");
        }

        int indexOf(String name) {
            for (int i = 0; i < headers.size(); i++) {
                if (headers.get(i).startsWith(name + ":")) {
                    return i;
                }
            }
            throw new IllegalArgumentException(name);
        }

        void set(String name, String value) {
            headers.set(indexOf(name), name + ": " + value);
        }

        void remove(String name) {
            headers.remove(indexOf(name));
        }

        /** Adds a line anywhere after the named header, so that the named one is still the first. */
        void insertAfter(String name, String line) {
            int first = indexOf(name);
            headers.add(first + 1 + random.nextInt(headers.size() - first), line);
        }

        byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(startLine).append("\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            head.append("\r\n");
            // UTF-8 so that a display name's characters are sent as UTF-8; NUL and the test's own bytes stay one byte
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
            return out.toByteArray();
        }

        FuzzCase toCase(String kind, Expected expected) {
            return toCase(kind, encode(), expected);
        }

        FuzzCase toCase(String kind, byte[] wire, Expected expected) {
            return new FuzzCase(index, kind, transport, callId, wire, expected);
        }
    }

    private byte[] printable(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (0x20 + random.nextInt(0x5f));
        }
        return bytes;
    }
}
