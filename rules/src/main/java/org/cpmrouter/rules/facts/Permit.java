package org.cpmrouter.rules.facts;

/**
 * Decision fact: allow the request. Written in a rule's consequence as {@code insert( new Permit() )}; the engine
 * knows which rule inserted it and reports that rule's {@code @id}. Immutable; equal only to itself.
 */
public final class Permit {

    @Override
    public String toString() {
        return "Permit[]";
    }
}
