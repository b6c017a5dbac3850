package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * The address of this router's URI-list service ({@code cpm.uri-list.address}, RFC 5365): a message to it carries
 * its recipients in a list. Inserted by Java at ADDRESS_ROUTING. Immutable.
 */
public final class UriListService {

    private final String uri;

    public UriListService(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
    }

    public String getUri() {
        return uri;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof UriListService that && uri.equals(that.uri);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    @Override
    public String toString() {
        return "UriListService[uri=" + uri + "]";
    }
}
