package org.cpmrouter.routes.sipcore;

import java.util.List;
import java.util.Locale;

import org.apache.camel.Message;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;

/**
 * The pager-mode limits a CPM Message must meet before any rule sees it (wire-format.md, project decision 5):
 * a body of at most {@code cpm.limits.max-body-bytes} (default 1300; larger is Large Message Mode, over MSRP, not
 * offered here) else {@code 413}; a content type the operator accepts ({@code cpm.limits.content-types}, default
 * {@code message/cpim}, {@code text/plain} (what plain SIP clients send) and {@code message/imdn+xml} (their
 * delivery receipts), each delivered as it came) else {@code 415} with {@code Accept} listing them (RFC 3261
 * 21.4.13). A multiple-recipient request ({@code Require: recipient-list-message}, RFC 5365) is a
 * {@code multipart/mixed} body holding the list beside the message: it may be larger by
 * {@value #LIST_BYTES_PER_RECIPIENT} bytes per recipient {@code cpm.uri-list.max-recipients} allows, and the
 * URI-list service holds its message part to the pager-mode limit.
 */
public final class MessageLimits {

    /** What one entry of a recipient list may take, with its markup: a long URI and its copy control attributes. */
    static final int LIST_BYTES_PER_RECIPIENT = 256;

    private final int maxBodyBytes;
    private final int maxListRequestBytes;
    private final List<String> contentTypes;
    private final String accept;

    /**
     * The limits of {@code cpm.limits.max-body-bytes}, {@code cpm.limits.content-types} and, for a list request,
     * {@code cpm.uri-list.max-recipients}.
     */
    public static MessageLimits from(RouterConfig config) {
        return new MessageLimits(config.getInt("cpm.limits.max-body-bytes"), config.getList("cpm.limits.content-types"),
                config.getInt("cpm.uri-list.max-recipients"));
    }

    public MessageLimits(int maxBodyBytes, List<String> contentTypes) {
        this(maxBodyBytes, contentTypes, 0);
    }

    public MessageLimits(int maxBodyBytes, List<String> contentTypes, int maxListRecipients) {
        if (contentTypes.isEmpty()) {
            throw new IllegalArgumentException("cpm.limits.content-types must name at least one media type");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.maxListRequestBytes = maxBodyBytes + 1024 + LIST_BYTES_PER_RECIPIENT * maxListRecipients;
        this.contentTypes = contentTypes.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
        this.accept = String.join(", ", this.contentTypes);
    }

    void check(Message request) {
        if (!"MESSAGE".equals(request.getHeader(SipMessageConstants.METHOD))) {
            return;
        }
        byte[] body = request.getBody(byte[].class);
        int length = body == null ? 0 : body.length;
        String type = request.getHeader("Content-Type", String.class);
        String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals("multipart/mixed") && requiresRecipientList(request)) {
            if (length > maxListRequestBytes) {
                throw new SipResponseException(413, "Request Entity Too Large (a recipient list request: at most "
                        + maxListRequestBytes + " bytes)");
            }
            return; // the URI-list service checks the parts
        }
        if (length > maxBodyBytes) {
            throw new SipResponseException(413, "Request Entity Too Large (pager mode: at most " + maxBodyBytes
                    + " bytes)");
        }
        if (!contentTypes.contains(media)) {
            throw new SipResponseException(415, "Unsupported Media Type", List.of("Accept: " + accept));
        }
    }

    /** Whether the request says it carries a recipient list ({@code Require: recipient-list-message}). */
    private static boolean requiresRecipientList(Message request) {
        Object value = request.getHeader("Require");
        for (Object one : value instanceof List<?> list ? list : value == null ? List.of() : List.of(value)) {
            for (String tag : one.toString().split(",")) {
                if (tag.trim().equalsIgnoreCase("recipient-list-message")) {
                    return true;
                }
            }
        }
        return false;
    }
}
