package org.cpmrouter.rules;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.EntryPointId;
import org.drools.base.rule.GroupElement;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.RuleConditionElement;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieSessionsPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable, compiled set of policy rules: every {@code *.drl} file of one directory, as read at
 * compile time. Create with {@link RuleCompiler#compile(Path)}. Thread-safe; each decision borrows a session and gives
 * it back, because building a session per decision was the larger part of a decision's cost.
 *
 * <p>When every rule is {@link #reusesSessions() anchored on a fact}, a session is emptied by deleting its facts and
 * kept for the next decision: Drools' own reset of a pooled session (clearing every node memory of the network) cost
 * more than the decision. Otherwise a rule could hold a match that outlives the facts (a rule of only {@code not}
 * conditions, a timer, an agenda group), so sessions come from Drools' pool and are fully reset.
 */
public final class RuleSet {

    private static final Logger LOG = LoggerFactory.getLogger(RuleSet.class);
    private static final int SESSIONS_AT_START = 4;
    /** Idle sessions kept for reuse; more than the SIP stack runs decisions at once is waste. */
    private static final int MAX_IDLE_SESSIONS = 64;

    private final Path directory;
    private final List<String> files;
    private final String hash;
    private final List<String> ruleIds;
    private final Map<String, String> ruleIdsByName;
    /**
     * The same ids keyed by the rule objects of {@link #kieBase}, which fired matches and rule-written facts name:
     * an identity lookup instead of hashing and comparing the rule's name, done for every fired rule and every
     * fact a rule inserts. Filled in the constructor and only read after, so safe to share between threads.
     */
    private final Map<Rule, String> ruleIdsByRule;
    private final KieBase kieBase;
    private final boolean newSessionPerDecision;
    private final boolean reusesSessions;
    private final KieSessionsPool pool;
    private final ConcurrentLinkedDeque<DecisionSession> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    RuleSet(Path directory, List<String> files, String hash, List<String> ruleIds,
            Map<String, String> ruleIdsByName, KieBase kieBase) {
        this(directory, files, hash, ruleIds, ruleIdsByName, kieBase, false);
    }

    private RuleSet(Path directory, List<String> files, String hash, List<String> ruleIds,
            Map<String, String> ruleIdsByName, KieBase kieBase, boolean newSessionPerDecision) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.files = List.copyOf(files);
        this.hash = Objects.requireNonNull(hash, "hash");
        this.ruleIds = List.copyOf(ruleIds);
        this.ruleIdsByName = Map.copyOf(ruleIdsByName);
        this.kieBase = Objects.requireNonNull(kieBase, "kieBase");
        this.ruleIdsByRule = idsByRule(kieBase, this.ruleIdsByName);
        this.newSessionPerDecision = newSessionPerDecision;
        this.reusesSessions = !newSessionPerDecision && everyRuleAnchoredOnAFact(kieBase);
        // grows on demand: as many sessions as decisions run at once (the SIP stack's threads)
        this.pool = reusesSessions || newSessionPerDecision ? null : kieBase.newKieSessionsPool(SESSIONS_AT_START);
    }

    /**
     * The same rules (same hash, same compiled base) deciding each time in a brand-new session, disposed after:
     * slow, and the reference the reused sessions are checked against.
     */
    RuleSet withNewSessionPerDecision() {
        return new RuleSet(directory, files, hash, ruleIds, ruleIdsByName, kieBase, true);
    }

    /**
     * Whether sessions are emptied by deleting their facts and reused ({@code true}) rather than reset by Drools.
     * True when every rule starts with a pattern on a fact in working memory and uses no timer, agenda group,
     * rule-flow group or activation group: then every match of every rule holds a fact, so deleting all facts
     * leaves no match, no agenda item and no rule-written fact behind.
     */
    boolean reusesSessions() {
        return reusesSessions;
    }

    private static Map<Rule, String> idsByRule(KieBase kieBase, Map<String, String> ruleIdsByName) {
        Map<Rule, String> ids = new IdentityHashMap<>();
        for (KiePackage kiePackage : kieBase.getKiePackages()) {
            for (Rule rule : kiePackage.getRules()) {
                String id = ruleIdsByName.get(rule.getName());
                if (id != null) {
                    ids.put(rule, id);
                }
            }
        }
        return ids;
    }

    private static boolean everyRuleAnchoredOnAFact(KieBase kieBase) {
        for (KiePackage kiePackage : kieBase.getKiePackages()) {
            for (Rule rule : kiePackage.getRules()) {
                if (!(rule instanceof RuleImpl r)) {
                    return false; // unknown implementation: assume the worst
                }
                if (r.isQuery()) {
                    continue; // matched only when a caller runs the query; the engine never does
                }
                if (r.getTimer() != null || !r.isMainAgendaGroup() || r.getAutoFocus()
                        || !isBlank(r.getRuleFlowGroup()) || !isBlank(r.getActivationGroup())
                        || !anchoredOnAFact(r.getLhs())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** An AND whose first element is a plain fact pattern, or an OR of such (each branch becomes its own rule). */
    private static boolean anchoredOnAFact(RuleConditionElement element) {
        if (element instanceof Pattern pattern) {
            return pattern.getSource() == null || pattern.getSource() instanceof EntryPointId;
        }
        if (element instanceof GroupElement group) {
            List<RuleConditionElement> children = group.getChildren();
            if (group.isAnd()) {
                return !children.isEmpty() && anchoredOnAFact(children.get(0));
            }
            if (group.isOr()) {
                return !children.isEmpty() && children.stream().allMatch(RuleSet::anchoredOnAFact);
            }
        }
        return false;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** First 12 hex characters of SHA-256 over the files sorted by name (name, NUL, bytes for each file). */
    public String hash() {
        return hash;
    }

    /** The {@code @id} of every rule, sorted. */
    public List<String> ruleIds() {
        return ruleIds;
    }

    /** The directory the rule files were read from. */
    public Path directory() {
        return directory;
    }

    /** Names of the rule files that were compiled, sorted. */
    public List<String> files() {
        return files;
    }

    KieBase kieBase() {
        return kieBase;
    }

    /** An empty session for one decision; give it back with {@link #giveBack}. */
    DecisionSession borrowSession() {
        if (newSessionPerDecision) {
            return DecisionSession.disposable(kieBase.newKieSession(), this);
        }
        if (!reusesSessions) {
            return DecisionSession.disposable(pool.newKieSession(), this);
        }
        DecisionSession session = idle.pollFirst();
        if (session == null) {
            return DecisionSession.reusable(kieBase.newKieSession(), this);
        }
        idleCount.decrementAndGet();
        return session;
    }

    /**
     * Takes back a session after its decision. {@code intact} is false when a rule threw: the session's state is
     * unknown and it is thrown away. An intact reusable session is emptied and kept for the next decision, unless
     * emptying it shows it would not behave as a new one. {@code callId} is the decided message's, for the log.
     */
    void giveBack(DecisionSession session, boolean intact, String callId) {
        if (!session.belongsTo(this)) {
            // never kept by rules it was not made from: after a reload it would decide on the old rules
            LOG.error("a rule session of other rules was given back to ruleset={} (callId={}); thrown away", hash,
                    callId);
            session.release();
            return;
        }
        if (!session.isReusable()) {
            session.release(); // Drools resets it and returns it to its pool (or frees a new one)
            return;
        }
        boolean keep;
        try {
            keep = intact && session.clear();
        } catch (RuntimeException e) {
            LOG.warn("emptying the rule session of callId={} failed (ruleset={}); the session is thrown away", callId,
                    hash, e);
            keep = false;
        }
        if (keep && idleCount.incrementAndGet() <= MAX_IDLE_SESSIONS) {
            idle.offerFirst(session); // most recently used first: its memory is the warmest
            return;
        }
        if (keep) {
            idleCount.decrementAndGet();
        } else if (intact) {
            LOG.debug("the rule session of callId={} was not empty after its facts were deleted (ruleset={}); "
                    + "thrown away", callId, hash);
        }
        session.release();
    }

    /** How many emptied sessions wait for a decision. */
    int idleSessions() {
        return idleCount.get();
    }

    /** The rule's {@code @id}, looked up in the rule set (computed once at compile time), else its name. */
    String idOf(Rule rule) {
        String id = ruleIdsByRule.get(rule);
        if (id != null) {
            return id;
        }
        id = ruleIdsByName.get(rule.getName()); // a rule object the base did not list (none known): by name
        return id != null ? id : rule.getName();
    }

    /** The {@code @id} of the rule with this (unqualified) name, or {@code null}. */
    String ruleIdForName(String ruleName) {
        return ruleIdsByName.get(ruleName);
    }

    @Override
    public String toString() {
        return "RuleSet[hash=" + hash + ", directory=" + directory + ", files=" + files + ", rules=" + ruleIds.size() + "]";
    }
}
