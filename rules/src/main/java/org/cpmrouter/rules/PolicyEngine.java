package org.cpmrouter.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cpmrouter.rules.facts.AddressType;
import org.cpmrouter.rules.facts.Denial;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Permit;
import org.cpmrouter.rules.facts.Route;
import org.cpmrouter.rules.facts.ServiceChoice;
import org.cpmrouter.rules.facts.TargetAddress;
import org.kie.api.runtime.rule.ConsequenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the current {@link RuleSet} for a decision about one message at one stage.
 *
 * <p>Resolution, independent of firing order: any {@link Denial} wins (the one whose rule id sorts first);
 * otherwise a {@link ServiceChoice} permits towards the Interworking Function over its service (two different
 * services deny with 500); otherwise a {@link Route} permits towards its destination (two different destinations
 * deny with 500);
 * otherwise a {@link Permit} permits; otherwise the request is denied with 403 ({@value #NO_RULE}).
 * A rule that throws denies with 500, naming that rule. Thread-safe.
 *
 * <p>After each decision every {@link DecisionListener} is told about it, in list order, on the deciding thread.
 * A listener that throws is logged (WARN) and never changes the decision.
 */
public final class PolicyEngine {

    /** Deciding rule id of the default deny, when no rule decided. */
    public static final String NO_RULE = "NO-RULE";
    /** Deciding rule id when a rule failed but could not be identified. */
    public static final String UNIDENTIFIED_RULE = "UNIDENTIFIED-RULE";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);
    private static final Pattern RULE_NAME_IN_MESSAGE = Pattern.compile("Rule \"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Comparator<String> IDS = Comparator.naturalOrder();

    private final AtomicReference<RuleSet> current;
    private final List<DecisionListener> listeners;

    /** An engine that logs one INFO line per decision ({@link DecisionLog}). */
    public PolicyEngine(RuleSet initial) {
        this(initial, List.of(new DecisionLog()));
    }

    /**
     * An engine that tells exactly {@code listeners} about each decision; an empty list makes it silent
     * (e.g. for dry runs).
     */
    public PolicyEngine(RuleSet initial, List<DecisionListener> listeners) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners"));
    }

    /** The rule set new decisions start with. */
    public RuleSet current() {
        return current.get();
    }

    /** Atomically makes {@code next} the rule set for decisions that start from now on. */
    public void replace(RuleSet next) {
        RuleSet previous = current.getAndSet(Objects.requireNonNull(next, "next"));
        LOG.info("ruleset replaced {} -> {} ({} rules)", previous.hash(), next.hash(), next.ruleIds().size());
    }

    /**
     * Decides about {@code context} given the Java-provided {@code facts} (KnownSubscriber, RegisteredClient,
     * ...). Never throws because of a rule; a failing rule yields a 500 denial.
     *
     * @throws IllegalArgumentException when {@code facts} contains a fact only rules may write
     *         (Denial, Permit, Route, TargetAddress) or another MessageContext
     */
    public Decision decide(MessageContext context, Collection<?> facts) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(facts, "facts");
        for (Object fact : facts) {
            Objects.requireNonNull(fact, "facts must not contain null");
            if (fact instanceof Denial || fact instanceof Permit || fact instanceof Route
                    || fact instanceof ServiceChoice || fact instanceof TargetAddress || fact instanceof MessageContext) {
                throw new IllegalArgumentException("only rules may insert " + fact.getClass().getSimpleName());
            }
        }

        RuleSet ruleSet = current.get(); // taken once: the decision finishes on the rules it started with
        List<String> fired = new ArrayList<>();
        Decision decision;
        DecisionSession session = ruleSet.borrowSession();
        boolean intact = false;
        try {
            session.collectFiredInto(fired);
            session.insert(context);
            for (Object fact : facts) {
                session.insert(fact);
            }
            session.fireAllRules();
            decision = resolve(session, ruleSet, fired);
            intact = true;
        } catch (ConsequenceException e) {
            String ruleId = ruleSet.idOf(e.getMatch().getRule());
            fired.add(ruleId); // it fired, and failed
            decision = failed(ruleSet, ruleId, fired, e);
        } catch (RuntimeException e) {
            // a condition (constraint / eval) threw while facts were inserted or matched
            decision = failed(ruleSet, failingRuleId(ruleSet, e), fired, e);
        } finally {
            // a session a rule threw in is thrown away, never reused
            ruleSet.giveBack(session, intact, context.getCallId());
        }

        notifyListeners(context, decision);
        return decision;
    }

    private void notifyListeners(MessageContext context, Decision decision) {
        for (DecisionListener listener : listeners) {
            try {
                listener.onDecision(context, decision);
            } catch (Exception | LinkageError e) {
                LOG.warn("decision listener {} failed for callId={} stage={} (the decision stands)",
                        listener.getClass().getName(), context.getCallId(), context.getStage(), e);
            }
        }
    }

    /**
     * Reads the decision off the facts the rules wrote; each fact's rule id is the {@code @id} of the rule that
     * inserted it. Usually one rule decides, so the single-fact cases take no stream, sort or map (they showed in
     * the profile); several facts of a kind go the general way. The facts come from the session's own list of
     * handles, not Drools' object store (whose iterator showed in the profile too); the result does not depend on
     * their order except between two denials of one rule with one status: the first inserted wins (Drools' store
     * iterates an identity map, in no defined order).
     */
    private static Decision resolve(DecisionSession session, RuleSet ruleSet, List<String> fired) {
        Denial denial = null;
        String denialId = null;
        List<Written<Destination>> routes = null;
        List<String> permits = null;
        List<Written<String>> choices = null;
        AddressType addressType = null;
        boolean severalAddressTypes = false;
        for (int i = 0, n = session.factCount(); i < n; i++) {
            Object o = session.fact(i);
            if (o instanceof Denial d) {
                String id = authorOf(session, d);
                if (denial == null || firstDenial(id, d, denialId, denial)) {
                    denial = d;
                    denialId = id;
                }
            } else if (o instanceof Route r) {
                routes = add(routes, new Written<>(authorOf(session, r), r.getDestination()));
            } else if (o instanceof Permit p) {
                permits = add(permits, authorOf(session, p));
            } else if (o instanceof ServiceChoice c) {
                choices = add(choices, new Written<>(authorOf(session, c), c.getService()));
            } else if (o instanceof TargetAddress t) {
                if (addressType == null) {
                    addressType = t.getType();
                } else if (addressType != t.getType()) {
                    severalAddressTypes = true;
                }
            }
        }
        // more than one address type means the classification rules overlap: report none (the routing rules
        // then either conflict, which denies with 500, or do not fire, which denies with NO-RULE)
        if (severalAddressTypes) {
            addressType = null;
        }
        String hash = ruleSet.hash();

        if (denial != null) {
            return new Decision(Verdict.DENY, denial.getStatus(), denial.getReason(), null, addressType,
                    denialId, fired, hash);
        }
        if (choices != null) {
            return chooseService(choices, addressType, fired, hash);
        }
        if (routes != null) {
            if (routes.size() == 1) {
                Written<Destination> route = routes.get(0);
                return new Decision(Verdict.PERMIT, 0, "Routed to " + route.value(), route.value(),
                        addressType, route.ruleId(), fired, hash);
            }
            Map<Destination, String> byDestination = byValue(routes);
            if (byDestination.size() > 1) {
                List<String> ids = byDestination.values().stream().sorted(IDS).toList();
                return new Decision(Verdict.DENY, 500, "Conflicting routes " + byDestination + " from rules "
                        + String.join(" and ", ids), null, addressType, ids.get(0), fired, hash);
            }
            Map.Entry<Destination, String> route = byDestination.entrySet().iterator().next();
            return new Decision(Verdict.PERMIT, 0, "Routed to " + route.getKey(), route.getKey(), addressType,
                    route.getValue(), fired, hash);
        }
        if (permits != null) {
            String id = permits.get(0);
            for (int i = 1; i < permits.size(); i++) {
                String other = permits.get(i);
                if (IDS.compare(other, id) < 0) {
                    id = other;
                }
            }
            return new Decision(Verdict.PERMIT, 0, "Permitted", null, addressType, id, fired, hash);
        }
        return new Decision(Verdict.DENY, 403, "No policy rule permitted the request", null, addressType,
                NO_RULE, fired, hash);
    }

    /** A route's destination or a chosen service, with the {@code @id} of the rule that wrote it. */
    private record Written<T>(String ruleId, T value) {
    }

    /** The {@code @id} of the rule that inserted a decision fact (the engine refuses them as input facts). */
    private static String authorOf(DecisionSession session, Object decisionFact) {
        String id = session.ruleIdOf(decisionFact);
        return id != null ? id : UNIDENTIFIED_RULE;
    }

    /** Each value with the lowest rule id that wrote it, sorted by value. */
    private static <T extends Comparable<T>> Map<T, String> byValue(List<Written<T>> written) {
        Map<T, String> byValue = new TreeMap<>();
        written.stream().sorted(Comparator.comparing(Written::ruleId, IDS))
                .forEach(w -> byValue.putIfAbsent(w.value(), w.ruleId()));
        return byValue;
    }

    /** Whether {@code d}, written by rule {@code id}, wins over {@code best}: the lower rule id, then the lower status. */
    private static boolean firstDenial(String id, Denial d, String bestId, Denial best) {
        int byId = IDS.compare(id, bestId);
        return byId < 0 || (byId == 0 && d.getStatus() < best.getStatus());
    }

    private static <T> List<T> add(List<T> list, T element) {
        List<T> result = list == null ? new ArrayList<>(2) : list;
        result.add(element);
        return result;
    }

    /** One non-CPM service chosen, by one or more rules: permit towards the Interworking Function. */
    private static Decision chooseService(List<Written<String>> choices, AddressType addressType, List<String> fired,
            String hash) {
        if (choices.size() == 1) {
            Written<String> choice = choices.get(0);
            return new Decision(Verdict.PERMIT, 0, "Interworking via " + choice.value(), Destination.INTERWORKING,
                    addressType, choice.ruleId(), fired, hash, choice.value());
        }
        Map<String, String> byService = byValue(choices);
        if (byService.size() > 1) {
            List<String> ids = byService.values().stream().sorted(IDS).toList();
            return new Decision(Verdict.DENY, 500, "Conflicting non-CPM services " + byService.keySet()
                    + " from rules " + String.join(" and ", ids), null, addressType, ids.get(0), fired, hash);
        }
        Map.Entry<String, String> choice = byService.entrySet().iterator().next();
        return new Decision(Verdict.PERMIT, 0, "Interworking via " + choice.getKey(), Destination.INTERWORKING,
                addressType, choice.getValue(), fired, hash, choice.getKey());
    }

    private static Decision failed(RuleSet ruleSet, String ruleId, List<String> fired, RuntimeException e) {
        LOG.warn("policy rule {} failed (ruleset={}); denying", ruleId, ruleSet.hash(), e);
        return new Decision(Verdict.DENY, 500, "Policy rule failed", null, null, ruleId, fired, ruleSet.hash());
    }

    /**
     * Identifies the rule whose condition threw. The executable model reports it only in the exception message
     * ({@code ... in [Rule "name" in file.drl]}), so the rule names are read from the messages of the cause chain.
     * When a shared condition belongs to several rules, the lowest id is reported.
     */
    static String failingRuleId(RuleSet ruleSet, Throwable e) {
        String best = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConsequenceException ce) {
                return ruleSet.idOf(ce.getMatch().getRule());
            }
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            Matcher m = RULE_NAME_IN_MESSAGE.matcher(message);
            while (m.find()) {
                String id = ruleSet.ruleIdForName(m.group(1));
                if (id != null && (best == null || id.compareTo(best) < 0)) {
                    best = id;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return UNIDENTIFIED_RULE;
    }
}
