package org.cpmrouter.sip.auth;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parameters of a {@code Digest} challenge or credentials header value
 * ({@code Digest realm="cpm.example.com", nonce="...", qop="auth"}): names case-insensitive, quoted values
 * unquoted (backslash escapes undone), token values as they are.
 */
public final class DigestParams {

    private DigestParams() {
    }

    /**
     * Parses a header value.
     *
     * @return the parameters, or empty when the scheme is not Digest
     * @throws IllegalArgumentException when the parameter list is malformed (unterminated quote, missing '=')
     */
    public static Optional<Map<String, String>> parse(String headerValue) {
        if (headerValue == null) {
            return Optional.empty();
        }
        String text = headerValue.trim();
        if (text.length() < 7 || !text.regionMatches(true, 0, "Digest", 0, 6)
                || !Character.isWhitespace(text.charAt(6))) {
            return Optional.empty();
        }
        Map<String, String> params = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int i = 6;
        while (true) {
            i = skip(text, i, " \t\r\n,");
            if (i >= text.length()) {
                return Optional.of(params);
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("digest parameter without '=' at: " + text.substring(i));
            }
            String name = text.substring(i, eq).trim();
            i = skip(text, eq + 1, " \t");
            StringBuilder value = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i = quoted(text, i + 1, value);
            } else {
                int end = i;
                while (end < text.length() && text.charAt(end) != ',') {
                    end++;
                }
                value.append(text, i, end);
                i = end;
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("digest parameter without a name");
            }
            params.put(name, value.toString().trim());
        }
    }

    /** Reads a quoted string from just after its opening quote; returns the index after the closing one. */
    private static int quoted(String text, int from, StringBuilder value) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                value.append(text.charAt(++i));
            } else if (c == '"') {
                return i + 1;
            } else {
                value.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated quoted string in digest parameters");
    }

    private static int skip(String text, int i, String chars) {
        while (i < text.length() && chars.indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    /** A quoted-string of a value (quotes and backslashes escaped). */
    public static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
