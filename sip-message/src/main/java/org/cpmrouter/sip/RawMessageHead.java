package org.cpmrouter.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The start line and the header lines (folded lines joined) of a raw SIP message, read without the stack's parser,
 * so that {@link RequestScreeningParser} can see what the stack's parser forgives: repeated single-valued headers,
 * the SIP-Version as written, a Content-Length the datagram does not match. Lines end at CR, LF or CRLF, as the
 * stack reads them; bytes are read as ISO-8859-1 so that offsets are byte offsets.
 */
final class RawMessageHead {

    /** Compact forms (RFC 3261 section 7.3.3) of the headers the screening looks at. */
    private static final Pattern WHITE_SPACE = Pattern.compile("[ \t]+");
    private static final Map<String, String> COMPACT = Map.of("i", "call-id", "f", "from", "t", "to", "l",
            "content-length", "c", "content-type", "v", "via");

    /** Header names as a request usually writes them (lower-cased) and their long form: {@link #nameOf}. */
    private static final String[] KNOWN_WRITTEN = {"via", "from", "to", "call-id", "cseq", "max-forwards",
        "content-type", "content-length", "i", "f", "t", "l", "c", "v"};
    private static final String[] KNOWN_NAME = java.util.Arrays.stream(KNOWN_WRITTEN)
            .map(name -> COMPACT.getOrDefault(name, name)).toArray(String[]::new);

    private final String startLine;
    private final List<String> headerLines;
    private final List<String> headerNames;
    private final int bodyOffset;
    private final boolean continuationWithoutHeader;

    private RawMessageHead(String startLine, List<String> headerLines, int bodyOffset,
                           boolean continuationWithoutHeader) {
        this.startLine = startLine;
        this.headerLines = headerLines;
        this.bodyOffset = bodyOffset;
        this.continuationWithoutHeader = continuationWithoutHeader;
        List<String> names = new ArrayList<>(headerLines.size());
        for (String line : headerLines) {
            names.add(nameOf(line));
        }
        this.headerNames = names;
    }

    /** Reads the head of a message; null when there is no start line at all (only control characters). */
    static RawMessageHead read(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && (bytes[i] & 0xff) < 0x20) {
            i++; // the stack skips control characters (stream keep-alive CRLFs) before the start line
        }
        if (i == bytes.length) {
            return null;
        }
        int end = lineEnd(bytes, i);
        String start = text(bytes, i, end).strip();
        i = next(bytes, end);
        List<String> lines = new ArrayList<>();
        boolean orphanContinuation = false;
        while (i < bytes.length) {
            end = lineEnd(bytes, i);
            String line = text(bytes, i, end);
            i = next(bytes, end);
            if (line.isBlank()) {
                break;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (lines.isEmpty()) {
                    orphanContinuation = true;
                } else {
                    lines.set(lines.size() - 1, lines.get(lines.size() - 1) + ' ' + line.strip());
                }
                continue;
            }
            lines.add(line.stripTrailing());
        }
        return new RawMessageHead(start, List.copyOf(lines), i, orphanContinuation);
    }

    /**
     * Whether {@link #read} would give null or a head that {@link #isResponse is a response}, decided from the
     * first bytes without reading the head: a received response is parsed as the stack parses it, and needs none
     * of the screening a request gets.
     */
    static boolean isResponseOrEmpty(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && (bytes[i] & 0xff) < 0x20) {
            i++; // as read() skips them
        }
        while (i < bytes.length && bytes[i] != '\r' && bytes[i] != '\n' && Character.isWhitespace(bytes[i] & 0xff)) {
            i++; // what strip() takes off the start line
        }
        return i == bytes.length || (i + 4 <= bytes.length && bytes[i] == 'S' && bytes[i + 1] == 'I'
                && bytes[i + 2] == 'P' && bytes[i + 3] == '/');
    }

    private static String text(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static int lineEnd(byte[] bytes, int from) {
        int i = from;
        while (i < bytes.length && bytes[i] != '\r' && bytes[i] != '\n') {
            i++;
        }
        return i;
    }

    private static int next(byte[] bytes, int lineEnd) {
        if (lineEnd < bytes.length - 1 && bytes[lineEnd] == '\r' && bytes[lineEnd + 1] == '\n') {
            return lineEnd + 2;
        }
        return Math.min(lineEnd + 1, bytes.length);
    }

    boolean isResponse() {
        return startLine.startsWith("SIP/");
    }

    String startLine() {
        return startLine;
    }

    /** The method token as written (the first word of the start line). */
    String method() {
        int sp = startLine.indexOf(' ');
        return sp < 0 ? startLine : startLine.substring(0, sp);
    }

    /** The Request-URI as written (the start line's middle), or null when the line has fewer than three words. */
    String requestUri() {
        String[] words = WHITE_SPACE.split(startLine);
        return words.length >= 3 ? words[1] : null;
    }

    /** The SIP-Version as written (the start line's last word), or "" when the line has fewer than three words. */
    String version() {
        // what WHITE_SPACE.split gives, without the regex and the array (once per request)
        int words = 0;
        int lastStart = 0;
        int i = 0;
        int n = startLine.length();
        while (i < n) {
            while (i < n && isBlank(startLine.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            words++;
            lastStart = i;
            while (i < n && !isBlank(startLine.charAt(i))) {
                i++;
            }
        }
        return words >= 3 ? startLine.substring(lastStart, i) : "";
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Header lines, folded lines joined, in order. */
    List<String> headerLines() {
        return headerLines;
    }

    /** The long, lower-case name of each header line ({@link #nameOf}), in the order of {@link #headerLines}. */
    List<String> headerNames() {
        return headerNames;
    }

    /** A continuation line came before any header (the stack refuses it as "Bad header continuation"). */
    boolean hasContinuationWithoutHeader() {
        return continuationWithoutHeader;
    }

    /** Offset of the first body byte: just past the blank line that ends the headers (the end if there is none). */
    int bodyOffset() {
        return bodyOffset;
    }

    /** How many header lines have this name (full or compact form, any case). */
    int count(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        int n = 0;
        for (String each : headerNames) {
            if (wanted.equals(each)) {
                n++;
            }
        }
        return n;
    }

    /** The first header, in message order, of one of these names that appears a second time; null when none does. */
    String firstRepeated(java.util.Set<String> names) {
        // no set of its own: of these names, only so many distinct ones can come before the first repeated one
        List<String> seen = new ArrayList<>(names.size());
        for (String name : headerNames) {
            if (names.contains(name)) {
                if (seen.contains(name)) {
                    return name;
                }
                seen.add(name);
            }
        }
        return null;
    }

    /** The value of the first header line with this name, or null. */
    String first(String name) {
        int at = headerNames.indexOf(name.toLowerCase(Locale.ROOT));
        if (at < 0) {
            return null;
        }
        String line = headerLines.get(at);
        return line.substring(line.indexOf(':') + 1).strip();
    }

    /** The long, lower-case name of a header line ({@code l: 0} is {@code content-length}); "" without a colon. */
    static String nameOf(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return "";
        }
        int start = 0;
        int end = colon;
        while (start < end && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        // the usual names without a substring, a lower-case copy and a hash of it for each line of each request
        for (int k = 0; k < KNOWN_WRITTEN.length; k++) {
            if (isAsciiLowerCaseOf(line, start, end, KNOWN_WRITTEN[k])) {
                return KNOWN_NAME[k];
            }
        }
        String name = line.substring(start, end).toLowerCase(Locale.ROOT);
        return COMPACT.getOrDefault(name, name);
    }

    /** Whether line[start, end) is {@code lower} with some of its ASCII letters in upper case. */
    private static boolean isAsciiLowerCaseOf(String line, int start, int end, String lower) {
        if (end - start != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = line.charAt(start + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
