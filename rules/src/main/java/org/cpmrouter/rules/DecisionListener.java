package org.cpmrouter.rules;

import org.cpmrouter.rules.facts.MessageContext;

/**
 * Told about every decision a {@link PolicyEngine} makes, right after it is made, on the deciding thread.
 * Implementations must be thread-safe and quick; an exception is logged by the engine and never changes the
 * decision.
 */
@FunctionalInterface
public interface DecisionListener {

    void onDecision(MessageContext context, Decision decision);
}
