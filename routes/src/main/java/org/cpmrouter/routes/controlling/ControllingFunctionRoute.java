package org.cpmrouter.routes.controlling;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.groupstore.PendingFanOutStore;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP/IP Core hosting a Pre-defined Group → CPM Controlling Function → every member: authorizes the sender
 * against the group (rules: {@code group-authorization.drl}, GROUP-*), answers {@code 202 Accepted} at once, then
 * sends one copy to each member except the sender through the SIP/IP Core and the member's terminating
 * Participating Function ({@link GroupFanOut}); a member's copy that fails is reported to the sender as a
 * {@code failed} IMDN when the sender asked for negative-delivery.
 */
public final class ControllingFunctionRoute extends RouteBuilder {

    public static final String ROUTE_ID = "controlling-function";

    private static final Logger LOG = LoggerFactory.getLogger(ControllingFunctionRoute.class);

    private final PolicyGateway policy;
    private final CpmAddresses addresses;
    private GroupFanOut fanOut;
    private ExecutorService starter;
    private ExecutorService journalWriter;

    private final PendingFanOutStore journal;
    private final GroupStore groups;
    private final DeliveryReports reports;
    private final RouterMetrics metrics;

    /**
     * @param journal where accepted group messages wait until every member is answered (resumed after a restart)
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
        starter = getContext().getExecutorServiceManager().newFixedThreadPool(this, "cpm-fanout-start", 2);
        journalWriter = getContext().getExecutorServiceManager().newFixedThreadPool(this, "cpm-fanout-journal", 4);
        fanOut = new GroupFanOut(getContext(), getContext().resolvePropertyPlaceholders(Hops.via(Hops.CORE_HOP)), starter,
                journalWriter,
                Integer.parseInt(getContext().resolvePropertyPlaceholders("{{cpm.controlling.fanout-in-flight}}")),
                journal, groups, reports, metrics);
        getContext().addService(fanOut, true, true);
        // messages accepted before a crash, or by a node that left the cluster, go out once the core's routes take
        // requests again
        getContext().addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                fanOut.watchForOrphans();
            }
        });
        from(Hops.CONTROLLING_FUNCTION).routeId(ROUTE_ID)
                .process(this::authorizeAcceptAndFanOut).id("authorize-accept-and-fan-out");
    }

    private void authorizeAcceptAndFanOut(Exchange exchange) {
        var message = exchange.getMessage();
        Optional<Group> group = policy.targetGroup(message);
        policy.authorizeGroupSender(message, group);
        String sender = addresses.canonical(message.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class));
        message.setHeader(SipMessageConstants.STATUS_CODE, 202);
        message.setHeader(SipMessageConstants.REASON_PHRASE, "Accepted");
        RouterMetrics.markOutcome(exchange, RouterMetrics.Outcome.GROUP);
        // a 202 echoes the conversation identifiers the request carried (wire-format.md section 7.E)
        List<String> echoed = new ArrayList<>();
        for (String name : List.of(CpmHeaders.CONVERSATION_ID, CpmHeaders.CONTRIBUTION_ID)) {
            String value = message.getHeader(name, String.class);
            if (value != null) {
                echoed.add(name + ": " + value);
            }
        }
        message.setHeader(SipMessageConstants.RESPONSE_HEADERS, echoed);
        Group accepted = group.orElseThrow();
        LOG.info("controlling callId={} group={} sender={} accepted for {} members",
                LogText.of(message.getHeader("Call-ID")), accepted.uri(), LogText.of(sender),
                accepted.members().size() - (accepted.isMember(sender) ? 1 : 0));
        fanOut.start(exchange, accepted, sender);
    }
}
