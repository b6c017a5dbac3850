package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * One value of the {@code imdn.Disposition-Notification} header of the message being reported on (what its sender
 * asked for: {@code positive-delivery}, {@code negative-delivery}, {@code processing}, {@code display}), lower case,
 * inserted by Java at DELIVERY_REPORT, one per value. Immutable.
 */
public final class RequestedNotification {

    private final String value;

    public RequestedNotification(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public String getValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof RequestedNotification that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "RequestedNotification[" + value + "]";
    }
}
