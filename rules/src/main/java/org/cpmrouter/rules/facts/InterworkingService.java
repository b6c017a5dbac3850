package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * A non-CPM communication service this router has an Interworking Function for ({@code SMS} when an SMSC link is
 * configured), inserted by Java at INTERWORKING_SELECTION, one per configured service. Immutable.
 */
public final class InterworkingService {

    private final String id;

    public InterworkingService(String id) {
        this.id = Objects.requireNonNull(id, "id");
    }

    /** The Non-CPM Communication Service Identifier, upper case: {@code SMS}, {@code MMS}. */
    public String getId() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof InterworkingService that && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "InterworkingService[" + id + "]";
    }
}
