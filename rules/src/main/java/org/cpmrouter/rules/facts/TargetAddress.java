package org.cpmrouter.rules.facts;

import java.util.Objects;

/** Derived fact: the classification of the target address. Inserted with insertLogical by the classification rules only. Immutable. */
public final class TargetAddress {

    private final AddressType type;

    public TargetAddress(AddressType type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public AddressType getType() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TargetAddress)) {
            return false;
        }
        TargetAddress that = (TargetAddress) o;
        return type == that.type;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type);
    }

    @Override
    public String toString() {
        return "TargetAddress[" + "type=" + type + "]";
    }
}
