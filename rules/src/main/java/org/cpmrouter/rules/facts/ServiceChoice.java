package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * Decision fact: send the message to a non-CPM user over the non-CPM communication service {@code service} (for
 * example {@code SMS}). Written by interworking-selection.drl only, as {@code insert( new ServiceChoice( "SMS" ) )};
 * the engine knows which rule inserted it and reports that rule's {@code @id}. Immutable; equal only to itself.
 */
public final class ServiceChoice {

    private final String service;

    public ServiceChoice(String service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    public String getService() {
        return service;
    }

    @Override
    public String toString() {
        return "ServiceChoice[service=" + service + "]";
    }
}
