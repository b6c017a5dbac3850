package org.cpmrouter.rules;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.drools.base.rule.EntryPointId;
import org.drools.core.common.InternalFactHandle;
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
 *
 * <p>The same listener keeps the handles of the facts in the session, in the order they went in (the decision's and
 * the rules'), and drops each one deleted: the decision is read off them ({@link #fact(int)}) and the session is
 * emptied by deleting them, instead of walking Drools' object store (a map of stores per fact class) twice per
 * decision. The store stays the judge of emptiness: {@link #clear} still checks that it holds no fact.
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

    /** Whether this session runs the rules of {@code ruleSet} (it was made from that rule set's compiled base). */
    boolean belongsTo(RuleSet ruleSet) {
        return firedRules.ruleSet == ruleSet;
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
     * How many facts the session holds (in any entry point): {@link #fact(int)} reads them, in the order they were
     * inserted.
     */
    int factCount() {
        return firedRules.live.size();
    }

    /**
     * The {@code index}th fact in insertion order when it is in the default entry point (the facts
     * {@code KieSession.getObjects()} returns), else {@code null}.
     */
    Object fact(int index) {
        InternalFactHandle handle = firedRules.live.get(index);
        return EntryPointId.DEFAULT.equals(handle.getEntryPointId()) ? handle.getObject() : null;
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
        List<InternalFactHandle> live = firedRules.live;
        // the last first: each deletion takes its handle off the end of the list (objectDeleted), no shifting
        while (!live.isEmpty()) {
            int last = live.size() - 1;
            InternalFactHandle handle = live.get(last);
            session.delete(handle);
            if (live.size() > last && live.get(last) == handle) {
                live.remove(last); // no event came: it is out of the session all the same
            }
        }
        // deletions propagate lazily: this evaluates them (and drops logically inserted facts with their support)
        session.fireAllRules();
        return !firedRules.firedWithoutTarget && session.getFactCount() == 0 && live.isEmpty();
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
        /** The handles of the facts in the session, in insertion order; a deleted fact's handle is removed. */
        private final List<InternalFactHandle> live = new ArrayList<>();
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
            live.add((InternalFactHandle) event.getFactHandle());
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
            // the decision is read off the facts left in the session: a deleted fact's handle goes
            FactHandle handle = event.getFactHandle();
            for (int i = live.size() - 1; i >= 0; i--) {
                if (live.get(i) == handle) {
                    live.remove(i);
                    return;
                }
            }
        }
    }
}
