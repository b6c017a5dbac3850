package org.cpmrouter.routes.reports;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import org.cpmrouter.sip.cpim.CpimMessage;

/**
 * The body of a delivery report (wire-format.md section 1.5 and example F): {@code message/cpim} with a new
 * {@code imdn.Message-ID} and no Disposition-Notification (nobody reports on a report), wrapping a
 * {@code message/imdn+xml} notification (RFC 5438 section 7) that names the original Message-ID, repeats its
 * DateTime and says the status.
 */
final class ImdnNotification {

    static final String CONTENT_TYPE = "message/imdn+xml";

    private ImdnNotification() {
    }

    /** The CPIM body from {@code from} (the network) to the original's sender, lines ended by CRLF. */
    static byte[] cpim(String from, String reportId, Instant now, ReportedMessage original, ImdnStatus status) {
        byte[] xml = xml(original, status, now).getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256)
                .append("From: <").append(from).append(">\r\n")
                .append("To: <").append(original.sender()).append(">\r\n")
                .append("DateTime: ").append(dateTime(now)).append("\r\n")
                .append("NS: imdn <").append(CpimMessage.IMDN_NS).append(">\r\n")
                .append("imdn.Message-ID: ").append(reportId).append("\r\n")
                .append("\r\n")
                .append("Content-Type: ").append(CONTENT_TYPE).append("\r\n")
                .append("Content-Disposition: notification\r\n")
                .append("Content-Length: ").append(xml.length).append("\r\n")
                .append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + xml.length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(xml);
        return out.toByteArray();
    }

    /** The notification document; {@code <datetime>} is the original's (RFC 5438 7.2.1.2), now when it had none. */
    static String xml(ReportedMessage original, ImdnStatus status, Instant now) {
        StringBuilder xml = new StringBuilder(320)
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n")
                .append("<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">")
                .append("<message-id>").append(escape(original.messageId())).append("</message-id>")
                .append("<datetime>").append(escape(original.dateTime() != null ? original.dateTime() : dateTime(now)))
                .append("</datetime>");
        if (original.recipient() != null) {
            xml.append("<recipient-uri>").append(escape(original.recipient())).append("</recipient-uri>");
        }
        return xml.append('<').append(status.element()).append("><status><").append(status.status())
                .append("/></status></").append(status.element()).append('>')
                .append("</imdn>").toString();
    }

    private static String dateTime(Instant now) {
        return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.MILLIS));
    }

    /** XML character data: the five predefined entities, control characters dropped. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
