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
 * 21.4.13).
 */
public final class MessageLimits {

    private final int maxBodyBytes;
    private final List<String> contentTypes;
    private final String accept;

    /** The limits of {@code cpm.limits.max-body-bytes} and {@code cpm.limits.content-types}. */
    public static MessageLimits from(RouterConfig config) {
        return new MessageLimits(config.getInt("cpm.limits.max-body-bytes"), config.getList("cpm.limits.content-types"));
    }

    public MessageLimits(int maxBodyBytes, List<String> contentTypes) {
        if (contentTypes.isEmpty()) {
            throw new IllegalArgumentException("cpm.limits.content-types must name at least one media type");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.contentTypes = contentTypes.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
        this.accept = String.join(", ", this.contentTypes);
    }

    void check(Message request) {
        if (!"MESSAGE".equals(request.getHeader(SipMessageConstants.METHOD))) {
            return;
        }
        byte[] body = request.getBody(byte[].class);
        int length = body == null ? 0 : body.length;
        if (length > maxBodyBytes) {
            throw new SipResponseException(413, "Request Entity Too Large (pager mode: at most " + maxBodyBytes
                    + " bytes)");
        }
        String type = request.getHeader("Content-Type", String.class);
        String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!contentTypes.contains(media)) {
            throw new SipResponseException(415, "Unsupported Media Type", List.of("Accept: " + accept));
        }
    }
}
