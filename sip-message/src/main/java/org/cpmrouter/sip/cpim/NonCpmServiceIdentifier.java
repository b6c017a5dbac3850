package org.cpmrouter.sip.cpim;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes the Non-CPM Communication Service Identifier (OMA CPM 5.2.2.1): the non-CPM service (SMS, MMS)
 * a message from a non-CPM user arrived by, which a reply carries back so it returns over the same service.
 *
 * <p>Its normative wire encoding is unconfirmed (wire-format.md, section 3). This project carries it in one SIP
 * header whose name is configuration (default {@value #DEFAULT_HEADER}); the value is one token. {@code SMS} and
 * {@code MMS} are recognised in any case and written upper case; any other token is passed through unchanged, so a
 * service this router does not know still gets a clear refusal from the rules rather than a parse error. This
 * class is the only place that knows the encoding: a new one changes here and nowhere else.
 */
public final class NonCpmServiceIdentifier {

    /** The header name used when the operator configures none. */
    public static final String DEFAULT_HEADER = "Non-CPM-Service";
    public static final String SMS = "SMS";
    public static final String MMS = "MMS";

    /** RFC 3261 token: what a header name, and this header's value, may consist of. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-.!%*_+`'~]+");

    private final String headerName;

    public NonCpmServiceIdentifier(String headerName) {
        Objects.requireNonNull(headerName, "headerName");
        if (!TOKEN.matcher(headerName).matches()) {
            throw new IllegalArgumentException("not a SIP header name: \"" + headerName + "\"");
        }
        this.headerName = headerName;
    }

    /** The codec for the default header name. */
    public static NonCpmServiceIdentifier standard() {
        return new NonCpmServiceIdentifier(DEFAULT_HEADER);
    }

    public String headerName() {
        return headerName;
    }

    /**
     * The identifier in a header value: empty when the value is absent or blank.
     *
     * @throws IllegalArgumentException when the value is not a single token (the request is malformed)
     */
    public Optional<String> parse(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return Optional.empty();
        }
        String value = headerValue.trim();
        if (!TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException("Bad " + headerName + " header: not a single service token");
        }
        return Optional.of(normalize(value));
    }

    /** {@code sms} and {@code Mms} become {@code SMS} and {@code MMS}; other tokens are kept as they are. */
    public static String normalize(String service) {
        String upper = service.trim().toUpperCase(Locale.ROOT);
        return upper.equals(SMS) || upper.equals(MMS) ? upper : service.trim();
    }

    /** The identifier a Camel message carries in this header, if any. */
    public Optional<String> read(org.apache.camel.Message message) {
        return parse(message.getHeader(headerName, String.class));
    }

    /** Sets (or, with {@code null}, removes) the identifier on a Camel message. */
    public void write(org.apache.camel.Message message, String service) {
        if (service == null) {
            message.removeHeader(headerName);
        } else {
            message.setHeader(headerName, normalize(service));
        }
    }

    /** The identifier a received SIP message carries, if any. */
    public Optional<String> read(javax.sip.message.Message message) {
        javax.sip.header.Header header = message.getHeader(headerName);
        if (header == null) {
            return Optional.empty();
        }
        String line = header.toString();
        int colon = line.indexOf(':');
        return parse(colon >= 0 ? line.substring(colon + 1) : line);
    }

    /** Adds the identifier to a SIP request being built. */
    public void write(javax.sip.message.Request request, javax.sip.header.HeaderFactory headers, String service)
            throws java.text.ParseException {
        request.setHeader(headers.createHeader(headerName, normalize(service)));
    }
}
