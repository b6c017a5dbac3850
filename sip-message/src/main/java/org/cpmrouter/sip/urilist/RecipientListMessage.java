package org.cpmrouter.sip.urilist;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cpmrouter.sip.urilist.MultipartBody.Part;

/**
 * The body of a multiple-recipient MESSAGE (RFC 5365): a {@code multipart/mixed} with the URI list
 * ({@code application/resource-lists+xml}, {@code Content-Disposition: recipient-list}) and the message itself
 * (in CPM a {@code message/cpim} part). A recipient's copy has the message and, when the list disclosed other
 * recipients, the list without its bcc entries as {@code recipient-list-history} (RFC 5364).
 *
 * @param list               the recipients (for a copy: those disclosed to the recipient), or null for none
 * @param payloadContentType the Content-Type of the message part
 * @param payload            the message part's content, unchanged
 */
public record RecipientListMessage(RecipientList list, String payloadContentType, byte[] payload) {

    public RecipientListMessage {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * Reads a multiple-recipient request's body.
     *
     * @throws UriListFormatException when it is not multipart/mixed, has no recipient-list part or no other part
     */
    public static RecipientListMessage parseRequest(String contentType, byte[] body) {
        return parse(contentType, body, RecipientList.RECIPIENT_LIST, true);
    }

    /**
     * Reads a copy a URI-list service sent: the message and the {@code recipient-list-history}, when there is one.
     * Empty when the body is not a multipart/mixed one (a copy without history is the message alone).
     */
    public static Optional<RecipientListMessage> parseCopy(String contentType, byte[] body) {
        if (!MultipartBody.isMultipartMixed(contentType)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(contentType, body, RecipientList.RECIPIENT_LIST_HISTORY, false));
        } catch (UriListFormatException e) {
            return Optional.empty();
        }
    }

    private static RecipientListMessage parse(String contentType, byte[] body, String disposition,
                                              boolean listRequired) {
        MultipartBody multipart = MultipartBody.parse(contentType, body);
        Part listPart = null;
        Part payloadPart = null;
        for (Part part : multipart.parts()) {
            boolean isList = part.mediaType().equals(RecipientList.MEDIA_TYPE)
                    && part.disposition().equals(disposition);
            if (isList && listPart == null) {
                listPart = part;
            } else if (!isList && payloadPart == null) {
                payloadPart = part;
            }
        }
        if (listPart == null && listRequired) {
            throw new UriListFormatException("no " + RecipientList.MEDIA_TYPE + " part with Content-Disposition: "
                    + disposition + " in the multipart/mixed body (RFC 5365)");
        }
        if (payloadPart == null) {
            throw new UriListFormatException("no message part beside the recipient list in the multipart/mixed body");
        }
        return new RecipientListMessage(listPart == null ? null : RecipientList.parse(listPart.content()),
                payloadPart.header("Content-Type").orElse("text/plain"), payloadPart.content());
    }

    /** The request body: the list as {@code recipient-list}, then the message. */
    public MultipartBody toRequestBody() {
        return body(RecipientList.RECIPIENT_LIST);
    }

    /** A copy's body: the list as {@code recipient-list-history}, then the message. */
    public MultipartBody toCopyBody() {
        return body(RecipientList.RECIPIENT_LIST_HISTORY);
    }

    private MultipartBody body(String disposition) {
        List<Part> parts = new ArrayList<>();
        if (list != null) {
            parts.add(Part.of(RecipientList.MEDIA_TYPE, disposition, list.toXml()));
        }
        parts.add(Part.of(payloadContentType, null, payload));
        return MultipartBody.of(parts);
    }
}
