package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * A domain the operator lists as non-CPM ({@code cpm.interworking.non-cpm-domains}): its users are reached only
 * through an Interworking Function. Inserted by Java at ADDRESS_ROUTING. Immutable.
 */
public final class NonCpmDomain {

    private final String domain;

    public NonCpmDomain(String domain) {
        this.domain = Objects.requireNonNull(domain, "domain");
    }

    public String getDomain() {
        return domain;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NonCpmDomain that && domain.equals(that.domain);
    }

    @Override
    public int hashCode() {
        return domain.hashCode();
    }

    @Override
    public String toString() {
        return "NonCpmDomain[" + domain + "]";
    }
}
