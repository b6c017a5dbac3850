package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * The form of the target's address, inserted by Java at ADDRESS_ROUTING and INTERWORKING_SELECTION so the rules can
 * tell a telephone number from a SIP address without parsing URIs. Immutable.
 *
 * <p>{@code telephoneNumber} is true for a {@code tel:} URI and for a {@code sip:} URI with {@code user=phone};
 * {@code domain} is the host of a {@code sip:}/{@code sips:} URI (lower case), {@code null} for {@code tel:}.
 */
public final class TargetUri {

    private final String uri;
    private final boolean telephoneNumber;
    private final String domain;

    public TargetUri(String uri, boolean telephoneNumber, String domain) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.telephoneNumber = telephoneNumber;
        this.domain = domain;
    }

    public String getUri() {
        return uri;
    }

    public boolean isTelephoneNumber() {
        return telephoneNumber;
    }

    public String getDomain() {
        return domain;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TargetUri)) {
            return false;
        }
        TargetUri that = (TargetUri) o;
        return uri.equals(that.uri) && telephoneNumber == that.telephoneNumber
                && Objects.equals(domain, that.domain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, telephoneNumber, domain);
    }

    @Override
    public String toString() {
        return "TargetUri[uri=" + uri + ", telephoneNumber=" + telephoneNumber + ", domain=" + domain + "]";
    }
}
