package org.cpmrouter.sip;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * How a SIP response is framed on the wire, checked byte by byte, for tests: a status line, then header lines,
 * then the blank line that ends the head, each line ending in CRLF with no bare CR or LF inside; no control
 * character outside a quoted-pair (none at all in a Call-ID, whose words have no quoted-pair); exactly one
 * Content-Length, equal to the bytes after the head. The stack's own 400 for a request it could not parse failed
 * this (its Content-Type line ended the head early, and it copied the request's line ends).
 */
final class ResponseFraming {

    private static final Pattern STATUS_LINE = Pattern.compile("SIP/2\\.0 [1-6][0-9]{2} [^\\x00-\\x1f\\x7f]*");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]+[ \t]*");
    private static final Pattern DIGITS = Pattern.compile("[ \t]*[0-9]{1,9}[ \t]*");

    private ResponseFraming() {
    }

    /** What is wrong with a datagram as a framed response; null when nothing is. */
    static String problem(byte[] datagram) {
        String text = new String(datagram, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return "no blank line ends the head";
        }
        String head = text.substring(0, end);
        String wrong = headProblem(head);
        if (wrong != null) {
            return wrong;
        }
        int declared = contentLength(head);
        int body = datagram.length - end - 4;
        return declared == body ? null : "Content-Length " + declared + " but " + body + " bytes follow the head";
    }

    /** What is wrong with a head (its lines without the blank line after them); null when nothing is. */
    static String headProblem(String head) {
        String[] lines = head.split("\r\n", -1);
        if (!STATUS_LINE.matcher(lines[0]).matches()) {
            return "not a status line: " + LogText.of(lines[0]);
        }
        int lengths = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                return "a bare CR or LF in " + LogText.of(line);
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !HEADER_NAME.matcher(line.substring(0, colon)).matches()) {
                return "not a header line: " + LogText.of(line);
            }
            String name = line.substring(0, colon).strip();
            if (hasControlCharacter(line, !name.equalsIgnoreCase("call-id") && !name.equals("i"))) {
                return "a control character in " + LogText.of(line);
            }
            if (name.equalsIgnoreCase("content-length") || name.equals("l")) {
                lengths++;
                if (!DIGITS.matcher(line.substring(colon + 1)).matches()) {
                    return "Content-Length not a number: " + LogText.of(line);
                }
            }
        }
        return lengths == 1 ? null : lengths + " Content-Length headers";
    }

    /** The Content-Length of a head that {@link #headProblem} found nothing wrong with. */
    static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon).strip() : "";
            if (name.equalsIgnoreCase("content-length") || name.equals("l")) {
                return Integer.parseInt(line.substring(colon + 1).strip());
            }
        }
        throw new IllegalArgumentException("no Content-Length");
    }

    private static boolean hasControlCharacter(String line, boolean quotable) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"' && quotable) {
                quoted = !quoted;
            } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
