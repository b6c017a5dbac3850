package org.cpmrouter.routes.controlling;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.groupstore.PendingFanOut;
import org.cpmrouter.groupstore.PendingFanOutStore;
import org.cpmrouter.routes.fanout.FanOut;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.ListRecipients;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP/IP Core hosting a Pre-defined Group → CPM Controlling Function → every member: authorizes the sender
 * against the group (rules: {@code group-authorization.drl}, GROUP-*), records the message, answers
 * {@code 202 Accepted}, then sends one copy to each member except the sender (and except those a URI list reaches
 * directly, {@link ListRecipients}) through the SIP/IP Core and the member's terminating Participating Function
 * ({@link FanOut}); a member's copy that fails is reported to the sender as a {@code failed} IMDN when the sender
 * asked for negative-delivery.
 */
public final class ControllingFunctionRoute extends RouteBuilder {

    public static final String ROUTE_ID = "controlling-function";

    private static final Logger LOG = LoggerFactory.getLogger(ControllingFunctionRoute.class);

    /** Headers of the original request that are the original hop's own, not the copies'. */
    private static final List<String> NOT_COPIED = List.of("From", "To", "Call-ID", "CSeq", "Max-Forwards", "Route",
            "Contact", CpmHeaders.P_ASSERTED_IDENTITY, CpmHeaders.P_PREFERRED_IDENTITY, CpmHeaders.P_SERVED_USER,
            ServedUserMarker.SERVED_LEG, CpmHeaders.REFERRED_BY, ListRecipients.HEADER);

    private final PolicyGateway policy;
    private final CpmAddresses addresses;
    private FanOut fanOut;

    private final PendingFanOutStore journal;
    private final GroupStore groups;
    private final DeliveryReports reports;
    private final RouterMetrics metrics;

    /**
     * @param journal where accepted group messages wait until every member is answered (taken over after a
     *                restart, or from a node that left the cluster)
     * @param groups  the group store, for the display name of a group whose message is resumed
     * @param reports where a member's failed copy is reported to the sender
     * @param metrics where accepted group messages and their copies are counted
     */
    public ControllingFunctionRoute(PolicyGateway policy, CpmAddresses addresses, PendingFanOutStore journal,
                                    GroupStore groups, DeliveryReports reports, RouterMetrics metrics) {
        this.metrics = metrics;
        this.policy = policy;
        this.addresses = addresses;
        this.journal = journal;
        this.groups = groups;
        this.reports = reports;
    }

    @Override
    public void configure() throws Exception {
        // the journal holds the URI-list service's records too: those at its address are its to take over
        String listService = policy.uriList().address();
        fanOut = FanOut.forRole(this, "cpm-fanout", journal, reports, metrics::fanOutCopy,
                pending -> pending.groupUri().equals(listService) ? Optional.empty()
                        : Optional.of(new GroupCopies(pending.groupUri(), pending.sender(),
                                groups.find(pending.groupUri()).map(Group::displayName).orElse(""))));
        from(Hops.CONTROLLING_FUNCTION).routeId(ROUTE_ID)
                .process(this::authorizeAcceptAndFanOut).id("authorize-accept-and-fan-out");
    }

    private void authorizeAcceptAndFanOut(Exchange exchange) {
        var message = exchange.getMessage();
        Optional<Group> group = policy.targetGroup(message);
        policy.authorizeGroupSender(message, group);
        String sender = addresses.canonical(message.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class));
        FanOut.answerAccepted(message);
        RouterMetrics.markOutcome(exchange, RouterMetrics.Outcome.GROUP);
        Group accepted = group.orElseThrow();
        // a member the sender's URI list reaches directly gets that copy only
        Set<String> reachedByList = ListRecipients.read(message);
        List<String> recipients = new ArrayList<>(accepted.members());
        recipients.remove(sender);
        recipients.removeAll(reachedByList);
        LOG.info("controlling callId={} group={} sender={} accepted for {} members{}",
                LogText.of(message.getHeader("Call-ID")), accepted.uri(), LogText.of(sender), recipients.size(),
                reachedByList.isEmpty() ? "" : " (those of its URI list left out)");
        byte[] body = message.getBody(byte[].class);
        PendingFanOut pending = new PendingFanOut(message.getHeader("Call-ID", "-", String.class), accepted.uri(),
                sender, FanOut.headerLines(message, NOT_COPIED), body == null ? new byte[0] : body, recipients);
        fanOut.start(pending, new GroupCopies(accepted.uri(), sender, accepted.displayName()));
    }

    /**
     * A group's copies, as wire-format.md decides them: From and P-Asserted-Identity the group, Referred-By the
     * sender, the CPIM body and Conversation-ID/Contribution-ID unchanged.
     */
    private record GroupCopies(String groupUri, String sender, String groupName) implements FanOut.Copies {

        @Override
        public String kind() {
            return "group";
        }

        @Override
        public String recipientsWord() {
            return "members";
        }

        @Override
        public void address(Message m, String member) {
            String name = groupName.isBlank() ? "" : "\"" + groupName.replace("\"", "") + "\" ";
            m.setHeader("From", name + "<" + groupUri + ">");
            m.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + groupUri + ">");
            m.setHeader(CpmHeaders.REFERRED_BY, "<" + sender + ">");
            // the group originates the copy: its originating leg is done, the core routes it to the member
            ServedUserMarker.handTo(m, groupUri, true);
            ServedUserMarker.markServed(m);
        }

        @Override
        public String failure(String member, SipOutcome outcome) {
            return "group " + groupUri + " member answered " + outcome.status() + " " + outcome.reason();
        }
    }
}
