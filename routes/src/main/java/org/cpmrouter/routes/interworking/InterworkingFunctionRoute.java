package org.cpmrouter.routes.interworking;

import java.util.function.BooleanSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.SmsReceiptStore;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.health.CpmHealthCheck;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.policy.InterworkingSettings;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.rules.Decision;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP/IP Core → Interworking Function → a non-CPM user (clause 5.2.2.1, the non-CPM branch): the rules choose the
 * non-CPM service ({@code interworking-selection.drl}: the Non-CPM Communication Service Identifier of a reply
 * wins, else the default for the address type), then the message goes out over it. SMS goes to the SMSC over
 * SMPP ({@link SmsSubmission}) and the sender gets {@code 202 Accepted} once the SMSC has taken it; the SMSC's
 * delivery receipt, when the sender asked for a report, comes back as an IMDN ({@link SmsReceipts}).
 */
public final class InterworkingFunctionRoute extends RouteBuilder {

    public static final String ROUTE_ID = "interworking-function";
    static final String SERVICE = "cpmNonCpmService";

    private static final Logger LOG = LoggerFactory.getLogger(InterworkingFunctionRoute.class);

    private final PolicyGateway policy;
    private final RouterConfig config;
    private final SubscriberStore subscribers;
    private final CpmAddresses addresses;
    private final InterworkingSettings interworking;
    private final SmsReceiptStore receiptStore;
    private final DeliveryReports reports;
    private final RouterMetrics metrics;

    /**
     * @param receiptStore where SMS await their delivery receipts
     * @param reports      where a receipt becomes a report to the CPM sender
     * @param metrics      where SMS submissions and the SMPP link's state are counted
     */
    public InterworkingFunctionRoute(PolicyGateway policy, RouterConfig config, SubscriberStore subscribers,
                              CpmAddresses addresses, InterworkingSettings interworking, SmsReceiptStore receiptStore,
                              DeliveryReports reports, RouterMetrics metrics) {
        this.metrics = metrics;
        this.policy = policy;
        this.config = config;
        this.subscribers = subscribers;
        this.addresses = addresses;
        this.interworking = interworking;
        this.receiptStore = receiptStore;
        this.reports = reports;
    }

    @Override
    public void configure() throws Exception {
        Processor sms = InterworkingFunctionRoute::noInterworkingFunction;
        if (interworking.services().contains(NonCpmServiceIdentifier.SMS)) {
            SmsReceipts receipts = SmsReceipts.from(config, receiptStore, reports);
            SmsInterworking link = new SmsInterworking(config, getContext(), subscribers, addresses,
                    interworking.identifier(), receipts);
            getContext().addService(link, true, true);
            sms = new SmsSubmission(link::link, subscribers, addresses,
                    config.getInt("cpm.smsc.unavailable-retry-after-seconds"), receipts, metrics);
            BooleanSupplier bound = () -> link.link() != null && link.link().isBound();
            metrics.watchSmscLink(bound);
            String smsc = config.get("cpm.smsc.host") + ":" + config.get("cpm.smsc.port");
            // ready only while bound: a router that cannot reach the SMSC answers every SMS sender 503
            CpmHealthCheck.register(getContext(), "smsc", CpmHealthCheck.Kind.READINESS,
                    () -> bound.getAsBoolean() ? CpmHealthCheck.State.up("SMPP link to " + smsc + " bound")
                            : CpmHealthCheck.State.down("SMPP link to " + smsc + " not bound"));
        }
        from(Hops.INTERWORKING).routeId(ROUTE_ID)
                .process(this::selectService).id("select-non-cpm-service")
                .choice()
                    .when(exchangeProperty(SERVICE).isEqualTo(NonCpmServiceIdentifier.SMS))
                        .process(sms).id("submit-to-smsc")
                        .process(this::countSms).id("count-sms-for-quota")
                    .otherwise()
                        .process(InterworkingFunctionRoute::noInterworkingFunction).id("no-interworking-function")
                .end();
    }

    private void selectService(Exchange exchange) {
        Decision decision = policy.selectInterworkingService(exchange.getMessage());
        exchange.setProperty(SERVICE, decision.nonCpmService());
    }

    /** The SMSC took the SMS (an exception would have ended the route): it counts towards the sender's quotas. */
    private void countSms(Exchange exchange) {
        String sender = exchange.getMessage().getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class);
        if (sender != null) {
            policy.smsCounts().sent(addresses.canonical(sender));
        }
    }

    /** The rules chose a service this router has no Interworking Function for (an operator's edit): refuse. */
    private static void noInterworkingFunction(Exchange exchange) {
        Object service = exchange.getProperty(SERVICE);
        LOG.warn("interworking callId={} rules chose service {} but no Interworking Function serves it (488)",
                LogText.of(exchange.getMessage().getHeader("Call-ID")), service);
        throw new SipResponseException(488, "No interworking for non-CPM service " + service);
    }
}
