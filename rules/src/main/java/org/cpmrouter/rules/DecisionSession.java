package org.cpmrouter.rules;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * One KieSession as a decision uses it, with the listener that collects the ids of the fired rules, and the
 * {@code @id} of the rule that inserted each fact, registered once for the session's life (adding and removing it
 * per decision showed up in the profile). A decision fact ({@code Denial}, {@code Permit}, ...) carries no id: the
 * rule that inserted it is its author, so its {@code @id} is written in one place only, the rule's metadata.
 *
 * <p>A session is either used once ({@link #disposable}: {@link #release} disposes it, which for a session of
 * Drools' pool resets it and hands it back to that pool) or kept by its {@link RuleSet} for reuse
 * ({@link #reusable}: {@link #clear} empties it
 * by deleting its facts, far cheaper than Drools' full reset). Not thread-safe: one decision at a time.
 */
final class DecisionSession {

    private final KieSession session;
    private final FiredRules firedRules;
    private final boolean reusable;

    private DecisionSession(KieSession session, RuleSet ruleSet, boolean reusable) {
        this.session = session;
        this.firedRules = new FiredRules(ruleSet);
        this.reusable = reusable;
        session.addEventListener((AgendaEventListener) firedRules);
        session.addEventListener((RuleRuntimeEventListener) firedRules);
    }

    /** A session the rule set keeps and reuses after {@link #clear()}. */
    static DecisionSession reusable(KieSession session, RuleSet ruleSet) {
        return new DecisionSession(session, ruleSet, true);
    }

    /** A session for one decision, disposed when {@link #release released}. */
    static DecisionSession disposable(KieSession session, RuleSet ruleSet) {
        return new DecisionSession(session, ruleSet, false);
    }

    boolean isReusable() {
        return reusable;
    }

    /** From now on the ids of the rules that fire are added to {@code fired}. */
    void collectFiredInto(List<String> fired) {
        firedRules.target = fired;
        firedRules.insertedBy.clear();
    }

    /**
     * The {@code @id} of the rule whose consequence inserted {@code fact} during the current decision, or
     * {@code null} when no rule did (the engine inserted it).
     */
    String ruleIdOf(Object fact) {
        return firedRules.insertedBy.get(fact);
    }

    void insert(Object fact) {
        session.insert(fact);
    }

    void fireAllRules() {
        session.fireAllRules();
    }

    KieSession kieSession() {
        return session;
    }

    /**
     * Empties a reusable session for the next decision: deletes every fact (those the decision inserted and those
     * its rules inserted, logically or not), then lets the network settle, during which no rule may fire. Returns
     * {@code false} when the session is not as empty as a new one (a fact is left, or a rule fired while the facts
     * went away): the caller must then throw it away. A rule throwing here propagates; the session is then unusable.
     */
    boolean clear() {
        firedRules.target = null;
        firedRules.firedWithoutTarget = false;
        firedRules.insertedBy.clear();
        FactHandle[] handles = session.getFactHandles().toArray(new FactHandle[0]);
        for (FactHandle handle : handles) {
            session.delete(handle);
        }
        // deletions propagate lazily: this evaluates them (and drops logically inserted facts with their support)
        session.fireAllRules();
        return !firedRules.firedWithoutTarget && session.getFactCount() == 0;
    }

    /** The session is no longer used: disposed (a session of Drools' pool is reset and goes back to it). */
    void release() {
        firedRules.target = null;
        firedRules.insertedBy.clear();
        if (!reusable) {
            session.removeEventListener((AgendaEventListener) firedRules);
            session.removeEventListener((RuleRuntimeEventListener) firedRules);
        }
        session.dispose();
    }

    /**
     * Collects the ids of the rules that fire into the current decision's list, and which rule inserted each fact
     * (by identity: two equal facts from two rules stay two authors).
     */
    private static final class FiredRules extends DefaultAgendaEventListener implements RuleRuntimeEventListener {
        private final RuleSet ruleSet;
        private final Map<Object, String> insertedBy = new IdentityHashMap<>();
        private List<String> target;
        private boolean firedWithoutTarget;

        FiredRules(RuleSet ruleSet) {
            this.ruleSet = ruleSet;
        }

        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            if (target == null) {
                firedWithoutTarget = true;
            } else {
                target.add(ruleSet.idOf(event.getMatch().getRule()));
            }
        }

        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            if (event.getRule() != null) { // null: inserted by the engine, not by a consequence
                insertedBy.putIfAbsent(event.getObject(), ruleSet.idOf(event.getRule()));
            }
        }

        @Override
        public void objectUpdated(ObjectUpdatedEvent event) {
            // an update keeps the fact's author
        }

        @Override
        public void objectDeleted(ObjectDeletedEvent event) {
            // the decision is read off the facts left in the session; a deleted fact is never looked up
        }
    }
}
