package org.cpmrouter.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The few fields of a received request that a stateless refusal needs, read from the raw bytes without the stack's
 * parser: method, top Via (sent-by, branch), and the header lines a response copies (Via, From, To, Call-ID, CSeq).
 * Reading is deliberately narrow: {@link #read} answers null for anything unusual (a response, folded lines, a Via
 * with {@code rport} or {@code received}, a branch without the RFC 3261 cookie, an IPv6 sent-by, a missing header,
 * a control character or a bare CR or LF anywhere in the head, which a refusal would copy), and the caller then lets
 * the full parser handle the request as usual.
 */
final class RawRequestHead {

    private static final String COOKIE = "z9hg4bk";
    private static final Pattern CRLF = Pattern.compile("\r\n", Pattern.LITERAL);

    final String method;
    /** Lower-cased: the stack's transaction key for a non-CANCEL request. */
    final String branch;
    final String callId;
    final String sentByHost;
    final int sentByPort;
    private final List<String> viaLines;
    private final String fromLine;
    private final String toLine;
    private final String callIdLine;
    private final String cseqLine;

    private RawRequestHead(String method, String branch, String callId, String sentByHost, int sentByPort,
                           List<String> viaLines, String fromLine, String toLine, String callIdLine, String cseqLine) {
        this.method = method;
        this.branch = branch;
        this.callId = callId;
        this.sentByHost = sentByHost;
        this.sentByPort = sentByPort;
        this.viaLines = viaLines;
        this.fromLine = fromLine;
        this.toLine = toLine;
        this.callIdLine = callIdLine;
        this.cseqLine = cseqLine;
    }

    /** A datagram's request head, or null when it is not a plain request this reader is sure about. */
    static RawRequestHead read(byte[] bytes) {
        return read(bytes, false);
    }

    /**
     * The head of a request read from a TCP or TLS connection, or null as for {@link #read(byte[])}. Its top Via may
     * name any transport and carry {@code rport} or {@code received}: an answer goes back on the connection, not to
     * the Via's sent-by, so {@link #sentByHost} is empty and {@link #sentByPort} 0.
     */
    static RawRequestHead readFromStream(byte[] bytes) {
        return read(bytes, true);
    }

    private static RawRequestHead read(byte[] bytes, boolean stream) {
        int end = headEnd(bytes);
        if (end < 0 || bytes.length < 8 || bytes[0] == 'S' && bytes[1] == 'I' && bytes[2] == 'P' && bytes[3] == '/') {
            return null;
        }
        if (hasControlCharacter(bytes, end)) {
            return null;
        }
        String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = CRLF.split(head, -1); // as head.split("\r\n", -1), without compiling the regex each time
        int space = lines[0].indexOf(' ');
        if (space <= 0 || !lines[0].endsWith(" SIP/2.0")) {
            return null;
        }
        String method = lines[0].substring(0, space);
        List<String> vias = new ArrayList<>(2);
        String from = null;
        String to = null;
        String callIdLine = null;
        String cseq = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                return null; // folded header lines: leave them to the parser
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            switch (line.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
                case "via", "v" -> vias.add(line);
                case "from", "f" -> from = line;
                case "to", "t" -> to = line;
                case "call-id", "i" -> callIdLine = line;
                case "cseq" -> cseq = line;
                default -> { }
            }
        }
        if (vias.isEmpty() || from == null || to == null || callIdLine == null || cseq == null) {
            return null;
        }
        return withTopVia(method, vias, from, to, callIdLine, cseq, stream);
    }

    private static RawRequestHead withTopVia(String method, List<String> vias, String from, String to,
                                             String callIdLine, String cseq, boolean stream) {
        String top = vias.get(0).substring(vias.get(0).indexOf(':') + 1).trim();
        int comma = top.indexOf(',');
        if (comma >= 0) {
            top = top.substring(0, comma).trim();
        }
        String lower = top.toLowerCase(Locale.ROOT);
        String callId = callIdLine.substring(callIdLine.indexOf(':') + 1).trim();
        if (stream) {
            String branch = param(lower, "branch");
            return branch == null || !branch.startsWith(COOKIE) ? null
                    : new RawRequestHead(method, branch, callId, "", 0, vias, from, to, callIdLine, cseq);
        }
        if (!lower.startsWith("sip/2.0/udp") || lower.contains("rport") || lower.contains("received=")) {
            return null;
        }
        String rest = top.substring("SIP/2.0/UDP".length()).trim();
        int semicolon = rest.indexOf(';');
        String sentBy = (semicolon < 0 ? rest : rest.substring(0, semicolon)).trim();
        if (sentBy.isEmpty() || sentBy.startsWith("[")) {
            return null;
        }
        String host = sentBy;
        int port = 5060;
        int colon = sentBy.indexOf(':');
        try {
            if (colon >= 0) {
                host = sentBy.substring(0, colon).trim();
                port = Integer.parseInt(sentBy.substring(colon + 1).trim());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        String branch = param(lower, "branch");
        if (branch == null || !branch.startsWith(COOKIE) || port < 1 || port > 65535) {
            return null;
        }
        return new RawRequestHead(method, branch, callId, host, port, vias, from, to, callIdLine, cseq);
    }

    /** A header parameter's value in an already lower-cased header value, or null. */
    private static String param(String lowerValue, String name) {
        int at = lowerValue.indexOf(";" + name + "=");
        if (at < 0) {
            return null;
        }
        int start = at + name.length() + 2;
        int stop = start;
        while (stop < lowerValue.length() && ";, \t".indexOf(lowerValue.charAt(stop)) < 0) {
            stop++;
        }
        return stop > start ? lowerValue.substring(start, stop) : null;
    }

    /** A control character other than HT and the CRLFs that end lines. */
    private static boolean hasControlCharacter(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            int c = head[i] & 0xff;
            if (c == '\r' && i + 1 < length && head[i + 1] == '\n') {
                i++;
            } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static int headEnd(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * A final response to this request, as bytes: its Via lines, From, To (with {@code toTag} added when it has no
     * tag), Call-ID and CSeq copied, then {@code extraLines} (whole header lines) and no body.
     */
    byte[] response(int status, String reason, String toTag, List<String> extraLines) {
        StringBuilder out = new StringBuilder(512).append("SIP/2.0 ").append(status).append(' ').append(reason)
                .append("\r\n");
        for (String via : viaLines) {
            out.append(via).append("\r\n");
        }
        out.append(fromLine).append("\r\n").append(toLine);
        if (!toLine.toLowerCase(Locale.ROOT).contains(";tag=")) {
            out.append(";tag=").append(toTag);
        }
        out.append("\r\n").append(callIdLine).append("\r\n").append(cseqLine).append("\r\n");
        for (String line : extraLines) {
            out.append(line).append("\r\n");
        }
        return out.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
