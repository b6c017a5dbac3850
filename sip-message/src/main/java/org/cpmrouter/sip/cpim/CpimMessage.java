package org.cpmrouter.sip.cpim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code message/cpim} body (RFC 3862) as carried in a CPM pager-mode MESSAGE: message headers (From, To,
 * DateTime, NS declarations and namespaced ones such as IMDN's), a blank line, the encapsulated MIME object's
 * headers, a blank line, its content. Namespaced headers are looked up by namespace URI, never by prefix, since
 * senders choose their own prefixes. Immutable.
 */
public final class CpimMessage {

    /** The IMDN namespace (RFC 5438). */
    public static final String IMDN_NS = "urn:ietf:params:imdn";
    /** The OMA CPM CPIM namespace. */
    public static final String CPM_NS = "http://www.openmobilealliance.org/cpm/";

    private static final Pattern NS_DECL = Pattern.compile("^\\s*(\\S+)?\\s*<([^>]*)>\\s*$");
    private static final Pattern CHARSET = Pattern.compile("charset\\s*=\\s*\"?([^\";\\s]+)\"?",
            Pattern.CASE_INSENSITIVE);

    /** One header line: its name as written (maybe prefixed) and value. */
    public record Field(String name, String value) {
    }

    private final List<Field> headers;
    private final List<Field> contentHeaders;
    private final byte[] content;

    private CpimMessage(List<Field> headers, List<Field> contentHeaders, byte[] content) {
        this.headers = List.copyOf(headers);
        this.contentHeaders = List.copyOf(contentHeaders);
        this.content = content.clone();
    }

    /**
     * Parses a CPIM body. Lines may end in CRLF or LF.
     *
     * @throws CpimFormatException when the body has no blank line after the message headers, or a header line
     *     without a colon
     */
    public static CpimMessage parse(byte[] body) {
        int[] cursor = {0};
        List<Field> headers = readHeaders(body, cursor, "message");
        if (cursor[0] >= body.length && headers.isEmpty()) {
            throw new CpimFormatException("empty message/cpim body");
        }
        List<Field> contentHeaders = readHeaders(body, cursor, "content");
        byte[] content = new byte[body.length - cursor[0]];
        System.arraycopy(body, cursor[0], content, 0, content.length);
        return new CpimMessage(headers, contentHeaders, content);
    }

    private static List<Field> readHeaders(byte[] body, int[] cursor, String part) {
        List<Field> fields = new ArrayList<>();
        int pos = cursor[0];
        while (true) {
            if (pos >= body.length) {
                throw new CpimFormatException("the " + part + " headers of the CPIM body are not ended by a blank line");
            }
            int end = pos;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            int lineEnd = end > pos && body[end - 1] == '\r' ? end - 1 : end;
            String line = new String(body, pos, lineEnd - pos, StandardCharsets.UTF_8);
            pos = Math.min(end + 1, body.length);
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new CpimFormatException("not a CPIM header line: '" + line + "'");
            }
            fields.add(new Field(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        cursor[0] = pos;
        return fields;
    }

    /** A plain-text CPM message with a fresh IMDN Message-ID and the current time. */
    public static CpimMessage text(String from, String to, String text) {
        return builder().from(from).to(to).text(text).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Field> headers() {
        return headers;
    }

    public List<Field> contentHeaders() {
        return contentHeaders;
    }

    public byte[] content() {
        return content.clone();
    }

    /** The first message header with this (unprefixed, core CPIM) name, such as {@code From}. */
    public Optional<String> header(String name) {
        return headers.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).findFirst();
    }

    /** The first header with this local name in the namespace with this URI, resolving the sender's prefixes. */
    public Optional<String> header(String namespaceUri, String localName) {
        Map<String, String> prefixes = namespaces();
        for (Field f : headers) {
            int dot = f.name().indexOf('.');
            if (dot > 0 && f.name().substring(dot + 1).equalsIgnoreCase(localName)
                    && namespaceUri.equals(prefixes.get(f.name().substring(0, dot)))) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    private Map<String, String> namespaces() {
        Map<String, String> prefixes = new HashMap<>();
        for (Field f : headers) {
            if (f.name().equalsIgnoreCase("NS")) {
                Matcher m = NS_DECL.matcher(f.value());
                if (m.matches() && m.group(1) != null) {
                    prefixes.put(m.group(1), m.group(2));
                }
            }
        }
        return prefixes;
    }

    /** The URI inside the CPIM From header ({@code "Alice" <sip:alice@example.com>} gives the SIP URI). */
    public Optional<String> fromUri() {
        return header("From").map(CpimMessage::uriOf);
    }

    public Optional<String> toUri() {
        return header("To").map(CpimMessage::uriOf);
    }

    public Optional<String> imdnMessageId() {
        return header(IMDN_NS, "Message-ID");
    }

    /** The content type of the encapsulated object, {@code text/plain} when absent (RFC 2045 default). */
    public String contentType() {
        return contentHeader("Content-Type").orElse("text/plain");
    }

    public Optional<String> contentHeader(String name) {
        return contentHeaders.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).findFirst();
    }

    /** The content as text: base64 transfer encoding undone, decoded with its charset (UTF-8 by default). */
    public String text() {
        byte[] bytes = content;
        if (contentHeader("Content-Transfer-Encoding").map(v -> v.trim().equalsIgnoreCase("base64")).orElse(false)) {
            bytes = Base64.getMimeDecoder().decode(bytes);
        }
        return new String(bytes, charsetOf(contentType()));
    }

    /**
     * The {@code charset} parameter of a Content-Type (of a CPIM payload or of a plain SIP body): UTF-8 when it
     * names none, or one this JVM does not know.
     */
    public static Charset charsetOf(String contentType) {
        Matcher m = CHARSET.matcher(contentType == null ? "" : contentType);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (RuntimeException e) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** The wire form, lines ended by CRLF. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + content.length);
        for (Field f : headers) {
            out.writeBytes((f.name() + ": " + f.value() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        for (Field f : contentHeaders) {
            out.writeBytes((f.name() + ": " + f.value() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(content);
        return out.toByteArray();
    }

    static String uriOf(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        int gt = nameAddr.indexOf('>', lt + 1);
        if (lt >= 0 && gt > lt) {
            return nameAddr.substring(lt + 1, gt).trim();
        }
        return nameAddr.trim();
    }

    /** Builds a CPM text message with the IMDN headers of wire-format.md section 1.4. */
    public static final class Builder {
        private String from;
        private String to;
        private String text = "";
        private String messageId = UUID.randomUUID().toString();
        private Instant dateTime = Instant.now();
        private String disposition = "positive-delivery";

        public Builder from(String uri) {
            this.from = uri;
            return this;
        }

        public Builder to(String uri) {
            this.to = uri;
            return this;
        }

        public Builder text(String value) {
            this.text = value;
            return this;
        }

        public Builder messageId(String id) {
            this.messageId = id;
            return this;
        }

        public Builder dateTime(Instant instant) {
            this.dateTime = instant;
            return this;
        }

        /** IMDN Disposition-Notification; {@code null} to ask for none. */
        public Builder dispositionNotification(String value) {
            this.disposition = value;
            return this;
        }

        public CpimMessage build() {
            if (from == null || to == null) {
                throw new IllegalStateException("a CPIM message needs From and To");
            }
            List<Field> h = new ArrayList<>();
            h.add(new Field("From", "<" + from + ">"));
            h.add(new Field("To", "<" + to + ">"));
            h.add(new Field("DateTime", DateTimeFormatter.ISO_INSTANT.format(dateTime.truncatedTo(ChronoUnit.MILLIS))));
            h.add(new Field("NS", "imdn <" + IMDN_NS + ">"));
            h.add(new Field("imdn.Message-ID", messageId));
            if (disposition != null) {
                h.add(new Field("imdn.Disposition-Notification", disposition));
            }
            h.add(new Field("NS", "cpm <" + CPM_NS + ">"));
            h.add(new Field("cpm.Payload-Type", "text/plain"));
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            List<Field> c = List.of(new Field("Content-Type", "text/plain;charset=UTF-8"),
                    new Field("Content-Length", Integer.toString(bytes.length)));
            return new CpimMessage(h, c, bytes);
        }
    }

    @Override
    public String toString() {
        return "CpimMessage[from=" + header("From").orElse("?") + ", to=" + header("To").orElse("?")
                + ", type=" + contentType().toLowerCase(Locale.ROOT) + ", " + content.length + " bytes]";
    }
}
