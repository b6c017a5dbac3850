package org.cpmrouter.routes.reports;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.logging.EventAudit;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.rules.Decision;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery reports the network generates (RFC 5438), acting for the recipient's side: {@code failed} when a
 * message will never be delivered (a group member refused its copy, an SMS receipt said undeliverable, a held
 * message expired), {@code delivered} when an SMS delivery receipt says so, {@code stored} when a message is held
 * for deferred delivery.
 *
 * <p>A report is a new CPM Message (wire-format.md 1.5 and example F) from the domain's own address
 * {@code sip:cpm-network@<cpm.domain>} to the original sender, with a new {@code imdn.Message-ID} of its own, naming
 * the original one. It enters the SIP/IP Core with its originating leg done (the network originates it, as the
 * Controlling Function originates a group copy), so the core routes it to the sender's terminating Participating
 * Function and registered client like any message: the rules and deferred delivery apply to it. Over a SIP hop the
 * next node believes its identity only as a trusted peer, as for a group copy.
 *
 * <p>Whether a report goes out is the rules' ({@code delivery-reports.drl}, REPORT-0xx: only to subscribers of this
 * domain, only the kind the sender asked for). Always, whatever the rules: never a report about a report (a
 * {@link ReportedMessage} is never made of an IMDN, and a report asks for none), one report per message, recipient
 * and status, and at most {@code cpm.reports.max-per-sender-per-second} to one sender. Each report is one log line
 * and one audit line ({@code event: report}) with the Call-ID and the Message-ID, when its answer is known.
 *
 * <p>{@link #report} never blocks its caller: the decision and the sending run on two threads of their own.
 */
public final class DeliveryReports extends ServiceSupport implements CamelContextAware {

    /** The user part of the address reports come from. */
    public static final String NETWORK_USER = "cpm-network";
    /** Reports waiting for a thread at most; past it a report is dropped (logged). */
    static final int QUEUE = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReports.class);

    private final PolicyGateway policy;
    private final CpmAddresses addresses;
    private final String network;
    private final ReportRateLimit limit;
    private final Clock clock;
    private CamelContext context;
    private AsyncProducer core;
    private ExecutorService workers;

    /**
     * @param maxPerSenderPerSecond reports to one sender in one second at most
     * @param clock                 time of the reports' DateTime and of the rate limit
     */
    public DeliveryReports(PolicyGateway policy, CpmAddresses addresses, int maxPerSenderPerSecond, Clock clock) {
        this.policy = policy;
        this.addresses = addresses;
        this.network = "sip:" + NETWORK_USER + "@" + addresses.domain();
        this.limit = new ReportRateLimit(maxPerSenderPerSecond, clock);
        this.clock = clock;
    }

    /** The reports of {@code cpm.reports.*}, on the system clock. */
    public static DeliveryReports from(RouterConfig config, PolicyGateway policy, CpmAddresses addresses) {
        return new DeliveryReports(policy, addresses, config.getInt("cpm.reports.max-per-sender-per-second"),
                Clock.systemUTC());
    }

    /** Sends reports through the Camel context of {@code main} from when its routes are configured on. */
    public void installIn(Main main) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                attachTo(configured.getCamelContext());
            }
        });
    }

    /** Sends reports through {@code camel} (its {@code cpm.hop.core}), started and stopped with it. */
    public void attachTo(CamelContext camel) {
        try {
            camel.addService(this, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("delivery reports could not start", e);
        }
    }

    /** The address reports come from: {@code sip:cpm-network@<cpm.domain>}. */
    public String networkAddress() {
        return network;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    protected void doStart() throws Exception {
        core = context.getEndpoint(context.resolvePropertyPlaceholders(Hops.via(Hops.CORE_HOP))).createAsyncProducer();
        ServiceHelper.startService(core);
        workers = context.getExecutorServiceManager().newThreadPool(this, "cpm-delivery-reports",
                new ThreadPoolProfileBuilder("cpm-delivery-reports").poolSize(2).maxPoolSize(2).maxQueueSize(QUEUE)
                        .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build());
    }

    @Override
    protected void doStop() {
        if (workers != null) {
            context.getExecutorServiceManager().shutdown(workers);
        }
        ServiceHelper.stopService(core);
    }

    /**
     * Tells the sender of {@code original}, when it asked for it, what became of the message: one report per call,
     * sent in the background. Does nothing for null (a message that asked for nothing, or is itself a report).
     *
     * @param reason why, for the log and the audit line (never in the report)
     */
    public void report(ReportedMessage original, ImdnStatus status, String reason) {
        if (original == null || status == null) {
            return;
        }
        if (!isStarted()) {
            LOG.warn("report callId={} messageId={} status={} to={} not sent: delivery reports are not running",
                    original.callId(), printable(original.messageId()), status.status(), original.sender());
            return;
        }
        try {
            workers.execute(() -> decideAndSend(original, status, reason));
        } catch (RejectedExecutionException e) {
            notSent(original, status, reason, null, QUEUE + " reports waiting already");
        }
    }

    private void decideAndSend(ReportedMessage original, ImdnStatus status, String reason) {
        Decision decision = policy.decideReport(original.callId(), original.sender(), original.recipient(),
                status.status(), status.notification(), original.dispositionNotification());
        if (!decision.isPermitted()) {
            notSent(original, status, reason, decision.decidingRuleId(), decision.reason());
            return;
        }
        String refused = limit.refusal(addresses.canonical(original.sender()),
                original.messageId() + "|" + original.recipient() + "|" + status);
        if (refused != null) {
            notSent(original, status, reason, decision.decidingRuleId(), refused);
            return;
        }
        String reportId = UUID.randomUUID().toString();
        Exchange report = request(original, status, reportId);
        try {
            core.process(report, doneSync -> sent(original, status, reason, decision.decidingRuleId(), reportId,
                    report));
        } catch (RuntimeException e) {
            report.setException(e);
            sent(original, status, reason, decision.decidingRuleId(), reportId, report);
        }
    }

    /** The report as a request entering the core with its originating leg done, from the network's address. */
    private Exchange request(ReportedMessage original, ImdnStatus status, String reportId) {
        Exchange exchange = new DefaultExchange(context);
        var m = exchange.getMessage();
        m.setHeader(SipMessageConstants.METHOD, "MESSAGE");
        m.setHeader(SipMessageConstants.REQUEST_URI, original.sender());
        m.setHeader("From", "<" + network + ">");
        m.setHeader("To", "<" + original.sender() + ">");
        m.setHeader("Call-ID", UUID.randomUUID() + "@" + addresses.domain());
        m.setHeader("CSeq", "1 MESSAGE");
        m.setHeader("Content-Type", CpmHeaders.MESSAGE_CPIM);
        m.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + network + ">");
        m.setHeader(CpmHeaders.P_ASSERTED_SERVICE, CpmHeaders.CPM_MSG_ICSI);
        m.setHeader(CpmHeaders.ACCEPT_CONTACT, CpmHeaders.CPM_MSG_ACCEPT_CONTACT);
        // the network originates it: its originating leg is done, the core routes it to the sender's side
        ServedUserMarker.handTo(m, network, true);
        ServedUserMarker.markServed(m);
        m.setBody(ImdnNotification.cpim(network, reportId, clock.instant(), original, status));
        return exchange;
    }

    private void sent(ReportedMessage original, ImdnStatus status, String reason, String rule, String reportId,
                      Exchange report) {
        SipOutcome answer = SipOutcome.of(report);
        String reportCallId = report.getMessage().getHeader("Call-ID", String.class);
        LOG.info("report callId={} messageId={} status={} to={} recipient={} rule={} reportCallId={} reportId={}"
                        + " cause=\"{}\": sent, answered {} \"{}\"", original.callId(), printable(original.messageId()),
                status.status(), original.sender(), original.recipient(), rule, reportCallId, reportId,
                printable(reason), answer.status(), printable(answer.reason()));
        EventAudit.write("report", "callId", original.callId(), "messageId", original.messageId(),
                "status", status.status(), "sender", original.sender(), "recipient", original.recipient(),
                "outcome", answer.isSuccess() ? "sent" : "refused", "detail", answer.status() + " " + answer.reason(),
                "cause", reason, "rule", rule, "reportCallId", reportCallId, "reportMessageId", reportId);
    }

    private void notSent(ReportedMessage original, ImdnStatus status, String reason, String rule, String why) {
        LOG.info("report callId={} messageId={} status={} to={} recipient={} rule={} cause=\"{}\": not sent ({})",
                original.callId(), printable(original.messageId()), status.status(), original.sender(),
                original.recipient(), rule, printable(reason), why);
        EventAudit.write("report", "callId", original.callId(), "messageId", original.messageId(),
                "status", status.status(), "sender", original.sender(), "recipient", original.recipient(),
                "outcome", "not-sent", "detail", why, "cause", reason, "rule", rule, "reportCallId", null,
                "reportMessageId", null);
    }

    /** A value from the wire as one log token: control characters and quotes replaced. */
    static String printable(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
        }
        return out.toString();
    }
}
