package org.cpmrouter.sip;

import java.nio.charset.StandardCharsets;

/**
 * What tells a retransmitted request from a new one (RFC 3261 section 17.2.3): the top Via's branch, the method and
 * the CSeq number, read from the raw bytes in one pass without the stack's parser, so that a retransmission of a
 * request the node has already answered can be answered again (or, while its answer is still being made, dropped)
 * for a small part of the cost of a parse. Under a retransmission storm, when the clients stop reading their answers
 * in time and send every request again every 0.5-4 s, the parse of each copy was most of what the node spent on it.
 *
 * <p>{@link #read} answers null for anything it is not sure about (folded lines, a branch without the RFC 3261
 * cookie, a missing or repeated field, an unusual CSeq) and the caller then leaves the datagram to the full parser,
 * which finds the transaction as before. The branch is lower-cased: the stack's key for the transaction of a
 * request that is not a CANCEL (a CANCEL shares the branch of the request it cancels, but not its method).
 */
record RetransmissionKey(String method, String branch, long cseq) {

    private static final byte[] COOKIE = "z9hg4bk".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MAX_METHOD = 32;

    /** The key of a request datagram, or null when this reader is not sure about it. */
    static RetransmissionKey read(byte[] b) {
        int space = 0;
        while (space < b.length && space <= MAX_METHOD && isUpper(b[space])) {
            space++;
        }
        if (space == 0 || space > MAX_METHOD || space >= b.length || b[space] != ' ') {
            return null;
        }
        String branch = null;
        long cseq = -1;
        int line = nextLine(b, space);
        while (line > 0 && line < b.length && b[line] != '\r') {
            if (b[line] == ' ' || b[line] == '\t') {
                return null; // a folded line: the parser's business
            }
            int colon = colonAfterName(b, line);
            if (colon > 0) {
                if (branch == null && (isName(b, line, colon, "via") || isName(b, line, colon, "v"))) {
                    branch = branchOf(b, colon + 1);
                    if (branch == null) {
                        return null;
                    }
                } else if (isName(b, line, colon, "cseq")) {
                    if (cseq >= 0) {
                        return null;
                    }
                    cseq = cseqOf(b, colon + 1, b, 0, space);
                    if (cseq < 0) {
                        return null;
                    }
                }
            }
            line = nextLine(b, line);
        }
        if (branch == null || cseq < 0) {
            return null;
        }
        return new RetransmissionKey(new String(b, 0, space, StandardCharsets.ISO_8859_1), branch, cseq);
    }

    private static boolean isUpper(byte c) {
        return c >= 'A' && c <= 'Z';
    }

    /** Offset of the line after the one that holds {@code from}; -1 when there is none or a line ends otherwise. */
    private static int nextLine(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r') {
                return b[i + 1] == '\n' ? i + 2 : -1;
            }
            if (b[i] == '\n') {
                return -1;
            }
        }
        return -1;
    }

    /** Offset of the colon that ends a header name at {@code line} (spaces before it allowed); -1 when none. */
    private static int colonAfterName(byte[] b, int line) {
        int i = line;
        while (i < b.length && b[i] != ':' && b[i] != '\r' && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        int nameEnd = i;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i < b.length && b[i] == ':' && nameEnd > line ? i : -1;
    }

    /** Whether the name before {@code colon} (trailing blanks ignored) is {@code lower}, in any case. */
    private static boolean isName(byte[] b, int line, int colon, String lower) {
        int end = colon;
        while (end > line && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--;
        }
        if (end - line != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if ((b[line + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The branch of the first Via value of the line from {@code from}, lower-cased; null unless a cookie one. */
    private static String branchOf(byte[] b, int from) {
        int end = from;
        while (end < b.length && b[end] != '\r' && b[end] != ',') {
            end++;
        }
        for (int i = from; i + 8 <= end; i++) {
            if (b[i] == ';' && matchesLower(b, i + 1, "branch")) {
                int start = i + 7;
                while (start < end && (b[start] == ' ' || b[start] == '\t')) {
                    start++;
                }
                if (start >= end || b[start] != '=') {
                    return null;
                }
                start++;
                while (start < end && (b[start] == ' ' || b[start] == '\t')) {
                    start++;
                }
                int stop = start;
                while (stop < end && b[stop] != ';' && b[stop] != ' ' && b[stop] != '\t') {
                    stop++;
                }
                if (stop - start <= COOKIE.length || !matchesLower(b, start, "z9hg4bk")) {
                    return null;
                }
                char[] value = new char[stop - start];
                for (int k = 0; k < value.length; k++) {
                    int c = b[start + k] & 0xff;
                    if (c <= ' ' || c >= 0x7f) {
                        return null;
                    }
                    value[k] = (char) (c >= 'A' && c <= 'Z' ? c | 0x20 : c);
                }
                return new String(value);
            }
        }
        return null;
    }

    private static boolean matchesLower(byte[] b, int at, String lower) {
        if (at + lower.length() > b.length) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if ((b[at + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The number of a CSeq value from {@code from} whose method is the request's (b[methodStart, methodEnd));
     * -1 otherwise.
     */
    private static long cseqOf(byte[] b, int from, byte[] m, int methodStart, int methodEnd) {
        int i = from;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        long number = 0;
        int digits = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && digits < 10) {
            number = number * 10 + (b[i] - '0');
            digits++;
            i++;
        }
        if (digits == 0 || i >= b.length || (b[i] != ' ' && b[i] != '\t')) {
            return -1;
        }
        while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        for (int k = methodStart; k < methodEnd; k++, i++) {
            if (i >= b.length || b[i] != m[k]) {
                return -1;
            }
        }
        while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i < b.length && b[i] == '\r' ? number : -1;
    }
}
