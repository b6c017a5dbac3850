package org.cpmrouter.routes.urilist;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.PendingFanOut;
import org.cpmrouter.groupstore.PendingFanOutStore;
import org.cpmrouter.routes.fanout.FanOut;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.ListRecipients;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.routes.policy.UriListExpansion;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.cpmrouter.sip.urilist.MultipartBody;
import org.cpmrouter.sip.urilist.RecipientList;
import org.cpmrouter.sip.urilist.RecipientListMessage;
import org.cpmrouter.sip.urilist.UriListFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP/IP Core → URI-list service (RFC 5365) → every recipient of the list: reads the recipient list a
 * {@code Require: recipient-list-message} request carries, expands it ({@link UriListExpansion}: duplicates and
 * {@code tel:} aliases removed, copy control), lets the rules decide (rules: {@code uri-list.drl}, ULIST-*),
 * records the message, answers {@code 202 Accepted}, then sends one copy per target through the SIP/IP Core
 * ({@link FanOut}, the Controlling Function's copy sender and journal): a CPM user's through its terminating
 * Participating Function, a non-CPM user's through interworking, a Pre-defined Group's to its Controlling Function.
 * A target whose copy fails is reported to the sender as a {@code failed} IMDN naming it, when the sender asked for
 * negative-delivery.
 */
public final class UriListServiceRoute extends RouteBuilder {

    public static final String ROUTE_ID = "uri-list-service";

    private static final Logger LOG = LoggerFactory.getLogger(UriListServiceRoute.class);

    /** Headers of the original request that are its own hop's, or the list request's, not the copies'. */
    private static final List<String> NOT_COPIED = List.of("From", "To", "Call-ID", "CSeq", "Max-Forwards", "Route",
            "Contact", "Require", "Content-Type", CpmHeaders.P_ASSERTED_IDENTITY, CpmHeaders.P_PREFERRED_IDENTITY,
            CpmHeaders.P_SERVED_USER, ServedUserMarker.SERVED_LEG, CpmHeaders.REFERRED_BY, ListRecipients.HEADER);

    private final PolicyGateway policy;
    private final PendingFanOutStore journal;
    private final DeliveryReports reports;
    private final RouterMetrics metrics;
    private final int maxMessageBytes;
    private final List<String> messageTypes;
    private FanOut fanOut;

    /**
     * @param journal         where accepted list messages wait until every target is answered (the Controlling
     *                        Function's journal: records at this service's address are this service's to take
     *                        over after a restart, or from a node that left the cluster)
     * @param metrics         where accepted list messages and their copies are counted
     * @param maxMessageBytes {@code cpm.limits.max-body-bytes}: the message part's limit (pager mode)
     * @param messageTypes    {@code cpm.limits.content-types}: what the message part may be
     */
    public UriListServiceRoute(PolicyGateway policy, PendingFanOutStore journal, DeliveryReports reports,
                               RouterMetrics metrics, int maxMessageBytes, Collection<String> messageTypes) {
        this.policy = policy;
        this.journal = journal;
        this.reports = reports;
        this.metrics = metrics;
        this.maxMessageBytes = maxMessageBytes;
        this.messageTypes = messageTypes.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public void configure() throws Exception {
        String address = policy.uriList().address();
        fanOut = FanOut.forRole(this, "cpm-uri-list", journal, reports, metrics::listCopy,
                pending -> pending.groupUri().equals(address)
                        ? Optional.of(new ListCopies(pending, policy)) : Optional.empty());
        from(Hops.URI_LIST_SERVICE).routeId(ROUTE_ID)
                .process(this::expandAuthorizeAcceptAndSend).id("expand-authorize-accept-and-send");
    }

    private void expandAuthorizeAcceptAndSend(Exchange exchange) {
        Message message = exchange.getMessage();
        String callId = message.getHeader("Call-ID", "-", String.class);
        RecipientListMessage request = read(message);
        UriListExpansion expansion = UriListExpansion.of(request.list(), policy::recipientIdentity,
                policy.uriList().address());
        policy.authorizeUriList(message, expansion.targets().size(), expansion.nested().size());
        String sender = policy.recipientIdentity(message.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class));

        // the copies' headers: the request's, with the copy's body type and the targets a group leaves out
        List<String> headerLines = new ArrayList<>(FanOut.headerLines(message, NOT_COPIED));
        byte[] body;
        if (expansion.history() != null) {
            MultipartBody copy = new RecipientListMessage(expansion.history(), request.payloadContentType(),
                    request.payload()).toCopyBody();
            headerLines.add("Content-Type: " + copy.contentType());
            body = copy.toBytes();
        } else {
            headerLines.add("Content-Type: " + request.payloadContentType());
            body = request.payload();
        }
        headerLines.add(ListRecipients.HEADER + ": " + ListRecipients.value(expansion.identities()));
        PendingFanOut pending = new PendingFanOut(callId, policy.uriList().address(), sender, headerLines, body,
                expansion.identities());

        FanOut.answerAccepted(message);
        RouterMetrics.markOutcome(exchange, RouterMetrics.Outcome.LIST);
        LOG.info("uri-list callId={} sender={} accepted for {} recipients ({} duplicate entries left out, {} shown "
                        + "the list)", LogText.of(callId), LogText.of(sender), expansion.targets().size(),
                expansion.duplicates(), expansion.history() == null ? 0 : expansion.history().entries().size());
        fanOut.start(pending, new ListCopies(pending, policy));
    }

    /**
     * The list and the message of a request, or the refusal a person can act on: 420 without the option tag,
     * 415 for another body type or message part type, 400 for a body that cannot be read, 413 for a message part
     * over the pager-mode limit.
     */
    private RecipientListMessage read(Message message) {
        if (!requires(message, RecipientList.OPTION_TAG)) {
            throw new SipResponseException(400, "A message to the URI-list service needs Require: "
                    + RecipientList.OPTION_TAG + " and a recipient list (RFC 5365)");
        }
        String contentType = message.getHeader("Content-Type", String.class);
        if (!MultipartBody.isMultipartMixed(contentType)) {
            throw new SipResponseException(415, "Unsupported Media Type",
                    List.of("Accept: " + MultipartBody.MULTIPART_MIXED));
        }
        RecipientListMessage request;
        try {
            byte[] body = message.getBody(byte[].class);
            request = RecipientListMessage.parseRequest(contentType, body == null ? new byte[0] : body);
        } catch (UriListFormatException e) {
            throw new SipResponseException(400, e.getMessage());
        }
        if (!messageTypes.contains(MultipartBody.mediaTypeOf(request.payloadContentType()))) {
            throw new SipResponseException(415, "Unsupported Media Type",
                    List.of("Accept: " + String.join(", ", messageTypes)));
        }
        if (request.payload().length > maxMessageBytes) {
            throw new SipResponseException(413, "Request Entity Too Large (pager mode: a message of at most "
                    + maxMessageBytes + " bytes)");
        }
        return request;
    }

    /** Whether the request's Require names an option tag (one header or several, comma lists). */
    static boolean requires(Message message, String optionTag) {
        Object value = message.getHeader("Require");
        if (value == null) {
            return false;
        }
        for (Object one : value instanceof Collection<?> c ? c : List.of(value)) {
            for (String tag : one.toString().split(",")) {
                if (tag.trim().equalsIgnoreCase(optionTag)) {
                    return true;
                }
            }
        }
        return false;
    }
}
