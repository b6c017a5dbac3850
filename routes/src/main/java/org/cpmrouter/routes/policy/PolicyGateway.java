package org.cpmrouter.routes.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Message;
import org.cpmrouter.groupstore.Binding;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.rules.Decision;
import org.cpmrouter.rules.PolicyEngine;
import org.cpmrouter.rules.facts.AllowedSender;
import org.cpmrouter.rules.facts.GroupMember;
import org.cpmrouter.rules.facts.GroupSendPolicy;
import org.cpmrouter.rules.facts.InterworkingService;
import org.cpmrouter.rules.facts.KnownGroup;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.NonCpmDomain;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.RegisteredClient;
import org.cpmrouter.rules.facts.RecipientListSize;
import org.cpmrouter.rules.facts.ReportEvent;
import org.cpmrouter.rules.facts.RequestedNotification;
import org.cpmrouter.rules.facts.Stage;
import org.cpmrouter.rules.facts.TargetUri;
import org.cpmrouter.rules.facts.UriListService;
import org.cpmrouter.sip.SecurityEvents;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;

/**
 * Where the routes ask the rules: it builds the facts of a decision point from the request and the subscriber
 * store (the rules never see SIP objects or the store), asks the {@link PolicyEngine}, and turns a denial into a
 * {@link SipResponseException} with the rule's status and reason. The engine logs each decision once.
 */
public final class PolicyGateway {

    /** Exchange property: the rule id of the last decision enforced on the exchange. */
    private static final String DECIDING_RULE = "cpmDecidingRule";

    private final PolicyEngine engine;
    private final SubscriberStore subscribers;
    private final GroupStore groups;
    private final CpmAddresses addresses;
    private final InterworkingSettings interworking;
    private final UriListSettings uriList;
    private final SmsCounts smsCounts = new SmsCounts(System::currentTimeMillis);
    private final RouterMetrics metrics;

    /**
     * @param uriList the URI-list service's address and cap
     * @param metrics where each decision's time and each refusal's rule id are counted
     */
    public PolicyGateway(PolicyEngine engine, SubscriberStore subscribers, GroupStore groups, CpmAddresses addresses,
                         InterworkingSettings interworking, UriListSettings uriList, RouterMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
        this.subscribers = subscribers;
        this.groups = groups;
        this.addresses = addresses;
        this.interworking = interworking;
        this.uriList = uriList;
    }

    public UriListSettings uriList() {
        return uriList;
    }

    /**
     * URI-list service: may the asserted sender have one message sent to the list its request carries? The facts
     * are the sender as a subscriber and the list's counts (never its addresses).
     *
     * @param recipients  distinct recipients once duplicates and tel: aliases are removed
     * @param nestedLists entries that are URI lists themselves
     */
    public Decision authorizeUriList(Message request, int recipients, int nestedLists) {
        Resolved sender = resolve(request, request.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class));
        List<Object> facts = new ArrayList<>();
        sender.addFact(facts, Party.SENDER);
        facts.add(new RecipientListSize(recipients, uriList.maxRecipients(), nestedLists));
        return enforce(request, context(request, Stage.URI_LIST_AUTHORIZATION, sender.identity(),
                uriList.address()), facts);
    }

    /**
     * The identity a list entry names: the subscriber's public identity when it is one (a tel: alias is its
     * subscriber), else the canonical address; null when it is no sip:, sips: or tel: URI.
     */
    public String recipientIdentity(String address) {
        String canonical = addresses.canonical(address);
        if (canonical == null) {
            return null;
        }
        return subscribers.findByIdentity(canonical).map(Subscriber::publicIdentity).orElse(canonical);
    }

    /** Whether an identity is a subscriber of this domain (a CPM user). */
    public boolean isSubscriber(String identity) {
        return identity != null && subscribers.findByIdentity(identity).isPresent();
    }

    /** Whether an identity is a Pre-defined Group this router hosts. */
    public boolean isGroup(String identity) {
        return identity != null && groups.find(identity).isPresent();
    }

    /** Originating Participating Function: may the asserted sender send? */
    public Decision authorizeSender(Message request) {
        return decideOnParty(request, Stage.ORIGINATING_AUTHORIZATION, Party.SENDER,
                request.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class), new ArrayList<>());
    }

    /** SIP/IP Core: what kind of address is the target, and where does the message go next? */
    public Decision routeByAddressType(Message request) {
        return decideOnTarget(request, Stage.ADDRESS_ROUTING);
    }

    /**
     * Interworking Function: which non-CPM service carries the message to a non-CPM user? The identifier the request
     * carries, the form of the target's address and the configured services are the facts; the decision names the
     * service ({@link Decision#nonCpmService()}).
     *
     * @throws SipResponseException 400 when the identifier header is malformed, or the rules' refusal
     */
    public Decision selectInterworkingService(Message request) {
        String identifier;
        try {
            identifier = interworking.identifier().read(request).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new SipResponseException(400, e.getMessage());
        }
        Resolved target = resolve(request, request.getHeader(SipMessageConstants.REQUEST_URI, String.class));
        List<Object> facts = new ArrayList<>();
        addTargetUri(facts, target.identity());
        interworking.services().forEach(service -> facts.add(new InterworkingService(service)));
        String sender = addresses.canonical(request.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class));
        if (sender != null) {
            facts.add(smsCounts.of(sender));
        }
        MessageContext context = context(request, Stage.INTERWORKING_SELECTION, sender, target.identity())
                .toBuilder().nonCpmServiceId(identifier).build();
        try {
            return enforce(request, context, facts);
        } catch (SipResponseException refused) {
            if (lastRuleIdStartsWith(request, "SMS-")) {
                smsCounts.refused();
                SecurityEvents.refused(request.getHeader(SipMessageConstants.REMOTE_ADDRESS, String.class),
                        "sms-quota", refused.status(), sender, request.getHeader("Call-ID", String.class),
                        refused.reason());
            }
            throw refused;
        }
    }

    /** The SMS senders have had sent, for the quotas: the Interworking Function counts each SMS the SMSC took. */
    public SmsCounts smsCounts() {
        return smsCounts;
    }

    /** The form of the target's address: a telephone number, or a SIP address in a domain. */
    private static void addTargetUri(List<Object> facts, String target) {
        if (target == null) {
            return;
        }
        if (target.startsWith("tel:")) {
            facts.add(new TargetUri(target, true, null));
        } else {
            int at = target.lastIndexOf('@');
            facts.add(new TargetUri(target, false, target.substring(at >= 0 ? at + 1 : target.indexOf(':') + 1)));
        }
    }

    /** Terminating Participating Function: may the target receive? */
    public Decision authorizeDelivery(Message request) {
        return decideOnTarget(request, Stage.TERMINATING_AUTHORIZATION);
    }

    /**
     * Controlling Function hosting a Pre-defined Group: may the asserted sender send to the group? The group's
     * send policy and the sender's standing in it are the facts.
     */
    public Decision authorizeGroupSender(Message request, Optional<Group> group) {
        String groupUri = addresses.canonical(request.getHeader(SipMessageConstants.REQUEST_URI, String.class));
        Resolved sender = resolve(request, request.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class));
        String identity = sender.identity();
        List<Object> facts = new ArrayList<>();
        sender.addFact(facts, Party.SENDER);
        group.ifPresent(g -> {
            facts.add(knownGroup(g));
            if (identity != null && g.isMember(identity)) {
                facts.add(new GroupMember(g.uri(), identity));
            }
            if (identity != null && g.allowedSenders().contains(identity)) {
                facts.add(new AllowedSender(g.uri(), identity));
            }
        });
        return enforce(request, context(request, Stage.CONTROLLING_AUTHORIZATION, identity, groupUri), facts);
    }

    /** The group the request is addressed to, if the group store has one at its Request-URI. */
    public Optional<Group> targetGroup(Message request) {
        String target = addresses.canonical(request.getHeader(SipMessageConstants.REQUEST_URI, String.class));
        return target == null ? Optional.empty() : groups.find(target);
    }

    private static KnownGroup knownGroup(Group g) {
        boolean cpm = g.supportedServices().isEmpty() || g.supportedServices().stream()
                .anyMatch(s -> s.startsWith(CpmHeaders.CPM_MSG_ICSI));
        return new KnownGroup(g.uri(), g.displayName(), GroupSendPolicy.valueOf(g.sendPolicy().name()), cpm);
    }

    /** SIP/IP Core serving the recipient: can it reach a registered client? */
    public Decision deliver(Message request, String recipient, List<Binding> bindings) {
        List<Object> facts = new ArrayList<>();
        if (!bindings.isEmpty()) {
            facts.add(new RegisteredClient(recipient, bindings.size()));
        }
        return enforce(request, context(request, Stage.RECIPIENT_DELIVERY,
                addresses.canonical(request.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class)), recipient), facts);
    }

    /**
     * The network, acting for the recipient's side: does the sender of a message get the delivery report (IMDN,
     * RFC 5438) the network can send about it? The facts are the sender as a subscriber (when it is one), the
     * report's status with the {@code imdn.Disposition-Notification} value that asks for it, and what the sender's
     * message asked for ({@code delivery-reports.drl}). Unlike the other decision points a denial is an answer,
     * not a refusal: it means "send no report", and nothing is thrown.
     *
     * @param status       the IMDN status: {@code delivered}, {@code failed} or {@code stored}
     * @param notification the Disposition-Notification value that asks for a report of that status
     * @param requested    the values the sender's message carried, lower case
     */
    public Decision decideReport(String callId, String sender, String recipient, String status, String notification,
                                 Set<String> requested) {
        String canonical = addresses.canonical(sender);
        Optional<Subscriber> subscriber = canonical == null ? Optional.empty() : subscribers.findByIdentity(canonical);
        String identity = subscriber.map(Subscriber::publicIdentity).orElse(canonical);
        List<Object> facts = new ArrayList<>();
        subscriber.ifPresent(s -> facts.add(new KnownSubscriber(identity, Party.SENDER, s.cpmEnabled(), s.barred())));
        facts.add(new ReportEvent(status, notification));
        requested.forEach(value -> facts.add(new RequestedNotification(value)));
        String target = addresses.canonical(recipient);
        long started = System.nanoTime();
        Decision decision = engine.decide(MessageContext.builder()
                .callId(callId == null ? "-" : callId)
                .stage(Stage.DELIVERY_REPORT)
                .sender(identity)
                .target(target != null ? target : recipient == null ? "-" : recipient)
                .build(), facts);
        metrics.decided(Stage.DELIVERY_REPORT, System.nanoTime() - started);
        return decision;
    }

    /** The target's public identity when it is a subscriber, else its canonical address (null when none). */
    public String targetIdentity(Message request) {
        return resolve(request, request.getHeader(SipMessageConstants.REQUEST_URI, String.class)).identity();
    }

    private Decision decideOnTarget(Message request, Stage stage) {
        List<Object> facts = new ArrayList<>();
        if (stage == Stage.ADDRESS_ROUTING) {
            targetGroup(request).ifPresent(g -> facts.add(knownGroup(g)));
            interworking.nonCpmDomains().forEach(domain -> facts.add(new NonCpmDomain(domain)));
            facts.add(new UriListService(uriList.address()));
        }
        return decideOnParty(request, stage, Party.TARGET,
                request.getHeader(SipMessageConstants.REQUEST_URI, String.class), facts);
    }

    /** A decision about one party: the subscriber it is, when it is one, is the fact the rules read. */
    private Decision decideOnParty(Message request, Stage stage, Party party, String address, List<Object> facts) {
        Resolved resolved = resolve(request, address);
        resolved.addFact(facts, party);
        if (stage == Stage.ADDRESS_ROUTING) {
            addTargetUri(facts, resolved.identity());
        }
        MessageContext context = party == Party.SENDER
                ? context(request, stage, resolved.identity(),
                        addresses.canonical(request.getHeader(SipMessageConstants.REQUEST_URI, String.class)))
                : context(request, stage,
                        addresses.canonical(request.getHeader(CpmHeaders.P_ASSERTED_IDENTITY, String.class)),
                        resolved.identity());
        return enforce(request, context, facts);
    }

    /** An address resolved to an identity: the subscriber's public identity when it is one, else canonical. */
    private record Resolved(String identity, Optional<Subscriber> subscriber) {
        void addFact(List<Object> facts, Party party) {
            subscriber.ifPresent(s -> facts.add(new KnownSubscriber(identity, party, s.cpmEnabled(), s.barred())));
        }
    }

    /**
     * Resolves an address once per message: co-located roles ask about the same sender and target several times
     * (routing, terminating authorization, the leg marker), and each store lookup costs more than the rest of the
     * step. The answers live in an exchange property, so a role on another node resolves on its own.
     */
    private Resolved resolve(Message request, String address) {
        String canonical = addresses.canonical(address);
        if (canonical == null) {
            return new Resolved(null, Optional.empty());
        }
        Map<String, Resolved> resolved = resolvedSoFar(request);
        Resolved known = resolved.get(canonical);
        if (known == null) {
            Optional<Subscriber> subscriber = subscribers.findByIdentity(canonical);
            known = new Resolved(subscriber.map(Subscriber::publicIdentity).orElse(canonical), subscriber);
            resolved.put(canonical, known);
        }
        return known;
    }

    /** Exchange property: addresses this message has resolved, canonical address to what it resolved to. */
    static final String RESOLVED = "cpmResolvedAddresses";

    @SuppressWarnings("unchecked")
    private static Map<String, Resolved> resolvedSoFar(Message request) {
        var exchange = request.getExchange();
        Map<String, Resolved> resolved = exchange.getProperty(RESOLVED, Map.class);
        if (resolved == null) {
            resolved = new HashMap<>(4);
            exchange.setProperty(RESOLVED, resolved);
        }
        return resolved;
    }

    private static MessageContext context(Message request, Stage stage, String sender, String target) {
        byte[] body = request.getBody(byte[].class);
        return MessageContext.builder()
                .callId(request.getHeader("Call-ID", "-", String.class))
                .stage(stage)
                .sender(sender)
                .target(target)
                .contentType(request.getHeader("Content-Type", String.class))
                .bodyLength(body == null ? 0 : body.length)
                .build();
    }

    /** Exchange property: the ids of every rule that fired for this message in this process, in order. */
    public static final String FIRED_RULES = "cpmFiredRules";
    /** Exchange property: hash of the rule set of the last decision. */
    public static final String RULE_SET = "cpmRuleSet";

    /** Whether the decision just enforced on this request was made by a rule whose id starts so. */
    private static boolean lastRuleIdStartsWith(Message request, String prefix) {
        Object rule = request.getExchange().getProperty(DECIDING_RULE);
        return rule instanceof String id && id.startsWith(prefix);
    }

    private Decision enforce(Message request, MessageContext context, List<Object> facts) {
        long started = System.nanoTime();
        Decision decision = engine.decide(context, facts);
        request.getExchange().setProperty(DECIDING_RULE, decision.decidingRuleId());
        metrics.decided(context.getStage(), System.nanoTime() - started);
        var exchange = request.getExchange();
        @SuppressWarnings("unchecked")
        List<String> fired = exchange.getProperty(FIRED_RULES, List.class);
        if (fired == null) {
            fired = new ArrayList<>();
            exchange.setProperty(FIRED_RULES, fired);
        }
        fired.addAll(decision.firedRuleIds());
        exchange.setProperty(RULE_SET, decision.ruleSetHash());
        if (!decision.isPermitted()) {
            metrics.refusedByRule(exchange, decision.decidingRuleId());
            throw new SipResponseException(decision.status(), decision.reason());
        }
        return decision;
    }
}
