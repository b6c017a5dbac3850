package org.cpmrouter.sip;

/**
 * Text from the wire made safe for one log line: a value a sender wrote (a Call-ID, a From, a Request-URI, a
 * digest username, an exception message quoting a header) must not write raw control characters into the log,
 * where a NUL cuts the line for some readers, an ESC sequence drives the operator's terminal and a CR or LF forges
 * a line of its own. Every log statement that prints such a value passes it through {@link #of}; the router's
 * Logback pattern escapes the control characters of each whole message once more
 * ({@link #escapeControls}, {@code routes.logging.PrintableMessageConverter}) as a safety net.
 *
 * <p>Escaped: the C0 controls, DEL and the C1 controls as {@code \xNN} ({@code \t}, {@code \n}, {@code \r} for
 * tab, line feed and carriage return); Unicode format characters, line and paragraph separators (bidirectional
 * overrides among them) and unpaired surrogates as a backslash, {@code u} and four hex digits ({@code U} and
 * eight above the BMP); and the backslash itself as {@code \\}, so that an escape in the log always means the
 * sender wrote that character. Everything else, UTF-8 letters of a display name included, is kept.
 */
public final class LogText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /** {@code value}'s text with every character that could corrupt a log line escaped; "-" for null. */
    public static String of(Object value) {
        if (value == null) {
            return "-";
        }
        return escape(value.toString(), false);
    }

    /**
     * A whole formatted log message with its control characters escaped as {@link #of} does, but its line feeds,
     * tabs and backslashes kept: the message's own line breaks (a list of rule problems) are the router's, and
     * the values {@link #of} escaped in it already stay as they are. The safety net under {@link #of}.
     */
    public static String escapeControls(String message) {
        return message == null ? null : escape(message, true);
    }

    private static String escape(String text, boolean wholeMessage) {
        int first = 0;
        while (first < text.length() && !needsEscape(text, first, wholeMessage)) {
            first++;
        }
        if (first == text.length()) {
            return text; // the usual case: nothing to escape, no copy
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (!needsEscape(text, i, wholeMessage)) {
                out.append(ch);
            } else if (Character.isHighSurrogate(ch) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                appendUnicode(out, text.codePointAt(i)); // a format character above the BMP (tag characters)
                i++;
            } else {
                switch (ch) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> {
                        if (ch <= 0xff) {
                            out.append("\\x").append(HEX[ch >> 4]).append(HEX[ch & 0xf]);
                        } else {
                            appendUnicode(out, ch);
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(String text, int i, boolean wholeMessage) {
        char ch = text.charAt(i);
        if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
            return false; // printable ASCII: the fast path
        }
        if (ch == '\\') {
            return !wholeMessage;
        }
        if (wholeMessage && (ch == '\n' || ch == '\t')) {
            return false;
        }
        if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            return Character.getType(text.codePointAt(i)) == Character.FORMAT;
        }
        if (Character.isLowSurrogate(ch) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1))) {
            return false; // the second half of a pair judged with its first
        }
        int type = Character.getType(ch);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    private static void appendUnicode(StringBuilder out, int codePoint) {
        String hex = Integer.toHexString(codePoint);
        out.append(codePoint > 0xffff ? "\\U" : "\\u");
        for (int pad = (codePoint > 0xffff ? 8 : 4) - hex.length(); pad > 0; pad--) {
            out.append('0');
        }
        out.append(hex);
    }
}
