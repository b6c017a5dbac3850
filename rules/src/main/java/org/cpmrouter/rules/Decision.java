package org.cpmrouter.rules;

import java.util.List;
import java.util.Objects;

import org.cpmrouter.rules.facts.AddressType;
import org.cpmrouter.rules.facts.Destination;

/**
 * The result of one policy decision.
 *
 * @param verdict         PERMIT or DENY
 * @param status          SIP status to answer with when denied; 0 when permitted
 * @param reason          short human-readable reason (never message content)
 * @param destination     where to route, or {@code null} unless a Route decided
 * @param addressType     the classified target address type, or {@code null} unless classified
 * @param decidingRuleId  id of the rule that decided ({@code NO-RULE} for the default deny)
 * @param firedRuleIds    ids of the rules that fired, in firing order
 * @param ruleSetHash     {@link RuleSet#hash()} of the rule set that decided
 * @param nonCpmService   the non-CPM service chosen at INTERWORKING_SELECTION (for example {@code SMS}), else
 *                        {@code null}
 */
public record Decision(
        Verdict verdict,
        int status,
        String reason,
        Destination destination,
        AddressType addressType,
        String decidingRuleId,
        List<String> firedRuleIds,
        String ruleSetHash,
        String nonCpmService) {

    /** A decision that chose no non-CPM service: every stage but INTERWORKING_SELECTION. */
    public Decision(Verdict verdict, int status, String reason, Destination destination, AddressType addressType,
            String decidingRuleId, List<String> firedRuleIds, String ruleSetHash) {
        this(verdict, status, reason, destination, addressType, decidingRuleId, firedRuleIds, ruleSetHash, null);
    }

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(decidingRuleId, "decidingRuleId");
        Objects.requireNonNull(ruleSetHash, "ruleSetHash");
        firedRuleIds = List.copyOf(firedRuleIds);
        if (verdict == Verdict.PERMIT && status != 0) {
            throw new IllegalArgumentException("a permit has status 0, not " + status);
        }
        if (verdict == Verdict.DENY && (status < 400 || status > 699)) {
            throw new IllegalArgumentException("a denial needs a SIP error status (400-699): " + status);
        }
    }

    public boolean isPermitted() {
        return verdict == Verdict.PERMIT;
    }
}
