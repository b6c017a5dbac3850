package org.cpmrouter.sip.urilist;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/mixed} body (RFC 2046 section 5.1) as a multiple-recipient MESSAGE carries it (RFC 5365): its
 * parts, each with its MIME headers and content, in order. Lines of the part headers may end in CRLF or LF; what
 * is written ends them in CRLF. Immutable.
 */
public final class MultipartBody {

    /** The media type of such a body. */
    public static final String MULTIPART_MIXED = "multipart/mixed";

    private static final Pattern BOUNDARY = Pattern.compile("boundary\\s*=\\s*(\"([^\"]+)\"|([^;\\s]+))",
            Pattern.CASE_INSENSITIVE);

    /** One body part: its MIME headers as {@code name, value} pairs in order, and its content. */
    public record Part(List<String[]> headers, byte[] content) {

        public Part {
            headers = headers.stream().map(h -> new String[] {h[0], h[1]}).toList();
            content = content.clone();
        }

        /** A part with a Content-Type and, when not null, a Content-Disposition. */
        public static Part of(String contentType, String disposition, byte[] content) {
            List<String[]> headers = new ArrayList<>();
            headers.add(new String[] {"Content-Type", contentType});
            if (disposition != null) {
                headers.add(new String[] {"Content-Disposition", disposition});
            }
            return new Part(headers, content);
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        /** A header's value by case-insensitive name. */
        public Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
        }

        /** The Content-Type without parameters, lower case ({@code text/plain} when absent, RFC 2046). */
        public String mediaType() {
            return mediaTypeOf(header("Content-Type").orElse("text/plain"));
        }

        /** The Content-Disposition type without parameters, lower case, or empty. */
        public String disposition() {
            return header("Content-Disposition").map(MultipartBody::mediaTypeOf).orElse("");
        }
    }

    private final String boundary;
    private final List<Part> parts;

    private MultipartBody(String boundary, List<Part> parts) {
        this.boundary = boundary;
        this.parts = List.copyOf(parts);
    }

    /** A new body of these parts, with a fresh boundary. */
    public static MultipartBody of(List<Part> parts) {
        return new MultipartBody("cpm-" + UUID.randomUUID(), parts);
    }

    /** Whether a SIP Content-Type names {@code multipart/mixed}. */
    public static boolean isMultipartMixed(String contentType) {
        return MULTIPART_MIXED.equals(mediaTypeOf(contentType));
    }

    /** A Content-Type value without parameters, lower case. */
    public static String mediaTypeOf(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a body whose SIP Content-Type is {@code multipart/mixed;boundary=...}.
     *
     * @throws UriListFormatException when the type has no boundary, or the body has no part delimited by it
     */
    public static MultipartBody parse(String contentType, byte[] body) {
        Matcher m = BOUNDARY.matcher(contentType == null ? "" : contentType);
        if (!isMultipartMixed(contentType) || !m.find()) {
            throw new UriListFormatException("multipart/mixed body without a boundary parameter");
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(3);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int after = at + delimiter.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
                break; // the close delimiter
            }
            int start = skipLineEnd(body, after);
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                throw new UriListFormatException("multipart/mixed body part without a closing boundary");
            }
            int end = next;
            // the line end before a delimiter belongs to the delimiter (RFC 2046)
            if (end > start && body[end - 1] == '\n') {
                end--;
                if (end > start && body[end - 1] == '\r') {
                    end--;
                }
            }
            parts.add(readPart(body, start, end));
            at = next;
        }
        if (parts.isEmpty()) {
            throw new UriListFormatException("multipart/mixed body has no part with boundary " + boundary);
        }
        return new MultipartBody(boundary, parts);
    }

    private static Part readPart(byte[] body, int start, int end) {
        List<String[]> headers = new ArrayList<>();
        int pos = start;
        while (pos < end) {
            int eol = pos;
            while (eol < end && body[eol] != '\n') {
                eol++;
            }
            int lineEnd = eol > pos && body[eol - 1] == '\r' ? eol - 1 : eol;
            String line = new String(body, pos, lineEnd - pos, StandardCharsets.UTF_8);
            pos = Math.min(end, eol + 1);
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new UriListFormatException("multipart/mixed part header line without a colon");
            }
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        byte[] content = new byte[Math.max(0, end - pos)];
        System.arraycopy(body, pos, content, 0, content.length);
        return new Part(headers, content);
    }

    private static int skipLineEnd(byte[] body, int pos) {
        while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
            pos++; // transport padding
        }
        if (pos < body.length && body[pos] == '\r') {
            pos++;
        }
        if (pos < body.length && body[pos] == '\n') {
            pos++;
        }
        return pos;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            // a delimiter starts a line: at the start of the body or after a line feed
            if (i == 0 || haystack[i - 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    public List<Part> parts() {
        return parts;
    }

    /** The first part of a media type (lower case), if any. */
    public Optional<Part> part(String mediaType) {
        return parts.stream().filter(p -> p.mediaType().equals(mediaType)).findFirst();
    }

    /** The SIP Content-Type of this body. */
    public String contentType() {
        return MULTIPART_MIXED + ";boundary=" + boundary;
    }

    /** The body on the wire: each part after a delimiter line, its headers, a blank line, its content. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            write(out, "--" + boundary + "\r\n");
            for (String[] h : part.headers()) {
                write(out, h[0] + ": " + h[1] + "\r\n");
            }
            write(out, "\r\n");
            out.writeBytes(part.content());
            write(out, "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
