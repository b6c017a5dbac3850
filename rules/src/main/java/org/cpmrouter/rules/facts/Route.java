package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * Decision fact: send the request to {@code destination}. Written in a rule's consequence as
 * {@code insert( new Route( Destination.INTERWORKING ) )}; the engine knows which rule inserted it and reports that
 * rule's {@code @id}. Immutable; equal only to itself.
 */
public final class Route {

    private final Destination destination;

    public Route(Destination destination) {
        this.destination = Objects.requireNonNull(destination, "destination");
    }

    public Destination getDestination() {
        return destination;
    }

    @Override
    public String toString() {
        return "Route[destination=" + destination + "]";
    }
}
