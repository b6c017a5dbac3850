package org.cpmrouter.routes.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sip.SipFactory;
import javax.sip.message.Request;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultExchange;
import org.cpmrouter.groupstore.Binding;
import org.cpmrouter.groupstore.CpmDataStores;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.routes.auth.RequestIdentityAsserter;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.path.ListRecipients;
import org.cpmrouter.rules.Decision;
import org.cpmrouter.rules.DecisionListener;
import org.cpmrouter.rules.JsonDecisionAudit;
import org.cpmrouter.rules.PolicyEngine;
import org.cpmrouter.rules.RuleSet;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageBinding;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.cpmrouter.sip.urilist.RecipientListMessage;
import org.cpmrouter.sip.urilist.UriListFormatException;

/**
 * What each role would decide for a captured SIP request, against the live store and a rule set (the running one
 * or a candidate), sending nothing, logging nothing to the decision or audit logs. It walks the legs the routes
 * take, in their order: the core's identity assertion, the originating Participating Function, the core's routing
 * by address type, then the terminating Participating Function and the recipient's registrations, the
 * Controlling Function and the members it would send to, or the Interworking Function and the service it chooses;
 * for a message to the URI-list service, its list's expansion and then the same walk for each target's copy.
 */
public final class DryRun {

    private final CamelContext context;
    private final CpmDataStores stores;
    private final CpmAddresses addresses;
    private final InterworkingSettings interworking;
    private final UriListSettings uriList;

    public DryRun(CamelContext context, CpmDataStores stores, CpmAddresses addresses, InterworkingSettings interworking,
                  UriListSettings uriList) {
        this.context = context;
        this.stores = stores;
        this.addresses = addresses;
        this.interworking = interworking;
        this.uriList = uriList;
    }

    /** A decision the walk asked for. */
    record Step(String role, MessageContext context, Decision decision) {
    }

    /** The report: every step and the response the sender would get. */
    public record Report(String callId, String ruleSetHash, List<Step> steps, int status, String outcome) {

        public String toText() {
            StringBuilder out = new StringBuilder();
            out.append("dry run: Call-ID ").append(callId).append(", rules ").append(ruleSetHash).append('\n');
            for (Step s : steps) {
                Decision d = s.decision();
                String verdict = d.isPermitted()
                        ? "PERMIT" + (d.destination() != null ? " -> " + d.destination() : "")
                                + (d.nonCpmService() != null ? " (" + d.nonCpmService() + ")" : "")
                        : "DENY " + d.status() + " " + d.reason();
                out.append(String.format("%-12s %-26s %-46s rule %-11s fired %s%n", s.role(),
                        s.context().getStage(), verdict, d.decidingRuleId(), d.firedRuleIds()));
            }
            out.append("outcome: ").append(status).append(' ').append(outcome).append('\n');
            return out.toString();
        }
    }

    /** Parses a request in wire format (as captured; LF line ends are accepted). */
    public static Request parse(byte[] wire) {
        String text = new String(wire, StandardCharsets.UTF_8);
        int split = text.indexOf("\n\n");
        int crlfSplit = text.indexOf("\r\n\r\n");
        if (crlfSplit < 0 && split >= 0) {
            // captured or hand-written with bare LF: normalise the head, keep the body as it is
            text = text.substring(0, split).replace("\n", "\r\n") + "\r\n\r\n" + text.substring(split + 2);
        }
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            return ((gov.nist.javax.sip.message.MessageFactoryImpl) factory.createMessageFactory()).createRequest(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a SIP request: " + e.getMessage(), e);
        }
    }

    /** What a message would come to at its target, after routing. */
    private record Outcome(int status, String text) {
    }

    /** The target's role, after the core routed the message: what it decides and what the sender would get. */
    private Outcome toTarget(Message message, PolicyGateway policy, Decision route, String sender) {
        if (route.destination() == Destination.PARTICIPATING_TERMINATING) {
            policy.authorizeDelivery(message);
            String recipient = policy.targetIdentity(message);
            List<Binding> bindings = stores.registrations().activeBindings(recipient);
            Decision delivery = policy.deliver(message, recipient, bindings);
            if (delivery.destination() == Destination.DEFERRED_STORE) {
                return new Outcome(202, "Accepted; held for " + recipient
                        + " until a client of it registers (deferred delivery)");
            }
            return new Outcome(200, "would be sent to every registered device of " + recipient + " "
                    + bindings.stream().map(Binding::contact).toList() + "; the sender gets the first device's 2xx");
        }
        if (route.destination() == Destination.CONTROLLING_FUNCTION) {
            Optional<Group> group = policy.targetGroup(message);
            policy.authorizeGroupSender(message, group);
            List<String> members = new ArrayList<>(group.orElseThrow().members());
            members.remove(sender);
            members.removeAll(ListRecipients.read(message));
            return new Outcome(202, "Accepted; one copy each to " + members.size() + " members " + members);
        }
        if (route.destination() == Destination.INTERWORKING) {
            Decision service = policy.selectInterworkingService(message);
            return new Outcome(202, "would go to the non-CPM user by " + service.nonCpmService()
                    + "; the sender gets 202 once the service has taken it");
        }
        return new Outcome(500, "no hop for " + route.destination());
    }

    /**
     * A message to the URI-list service: its list expanded, the service's decision, then each target's copy walked
     * from the core's routing on, as the copies go (a refusal of one copy is that target's, not the sender's).
     */
    private Report uriList(Message message, PolicyGateway policy, RuleSet rules, List<Step> steps, String callId,
                           String sender) {
        RecipientListMessage request;
        try {
            request = RecipientListMessage.parseRequest(message.getHeader("Content-Type", String.class),
                    message.getBody(byte[].class) == null ? new byte[0] : message.getBody(byte[].class));
        } catch (UriListFormatException e) {
            return new Report(callId, rules.hash(), steps, 400, e.getMessage() + " (URI-list service)");
        }
        UriListExpansion expansion = UriListExpansion.of(request.list(), policy::recipientIdentity,
                uriList.address());
        policy.authorizeUriList(message, expansion.targets().size(), expansion.nested().size());
        StringBuilder text = new StringBuilder("Accepted; one copy each to " + expansion.targets().size()
                + " recipients (" + expansion.duplicates() + " duplicate entries left out):");
        for (UriListExpansion.Target target : expansion.targets()) {
            Message copy = new DefaultExchange(context).getMessage();
            copy.setHeaders(new java.util.HashMap<>(message.getHeaders()));
            copy.setHeader(SipMessageConstants.REQUEST_URI, target.identity());
            copy.setHeader("Call-ID", callId);
            copy.setHeader(ListRecipients.HEADER, ListRecipients.value(expansion.identities()));
            copy.setHeader("Content-Type", request.payloadContentType());
            copy.setBody(request.payload());
            copy.getExchange().setProperty(PolicyGateway.FIRED_RULES, new ArrayList<>());
            String how = target.copyControl().name().toLowerCase(java.util.Locale.ROOT)
                    + (target.anonymize() ? ", anonymized" : "");
            Outcome outcome;
            try {
                outcome = toTarget(copy, policy, policy.routeByAddressType(copy), sender);
            } catch (SipResponseException refused) {
                outcome = new Outcome(refused.status(), refused.reason() + " (the sender gets a failed IMDN when it"
                        + " asked for negative-delivery)");
            }
            text.append("\n  ").append(target.identity()).append(" (").append(how).append("): ")
                    .append(outcome.status()).append(' ').append(outcome.text());
        }
        return new Report(callId, rules.hash(), steps, 202, text.toString());
    }

    public Report run(Request request, RuleSet rules) {
        List<Step> steps = new ArrayList<>();
        DecisionListener collect = (c, d) -> steps.add(new Step(JsonDecisionAudit.role(c.getStage()), c, d));
        // a dry run's decisions are not traffic: they are counted in a registry of their own that nobody scrapes
        PolicyGateway policy = new PolicyGateway(new PolicyEngine(rules, List.of(collect)), stores.subscribers(),
                stores.groups(), addresses, interworking, uriList, new RouterMetrics());
        Message message = new DefaultExchange(context).getMessage();
        SipMessageBinding.toCamel(request, message);
        message.removeHeader(CpmHeaders.P_ASSERTED_IDENTITY); // a capture's identity is not trusted here either
        String callId = message.getHeader("Call-ID", "-", String.class);

        Optional<String> sender = new RequestIdentityAsserter(addresses).identify(message);
        if (sender.isEmpty()) {
            return new Report(callId, rules.hash(), steps, 403, "Sender Identity Unknown (core)");
        }
        message.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + sender.get() + ">");
        try {
            policy.authorizeSender(message);
            Decision route = policy.routeByAddressType(message);
            if (route.destination() == Destination.URI_LIST_SERVICE) {
                return uriList(message, policy, rules, steps, callId, sender.get());
            }
            Outcome outcome = toTarget(message, policy, route, sender.get());
            return new Report(callId, rules.hash(), steps, outcome.status(), outcome.text());
        } catch (SipResponseException refused) {
            return new Report(callId, rules.hash(), steps, refused.status(), refused.reason());
        }
    }
}
