package org.cpmrouter.groupstore;

import java.util.Objects;

/**
 * A source address the router refuses requests from until {@code untilMillis}: why ({@code reason}, such as
 * {@code auth-failures} or {@code flood}), how many failed authentications or requests earned it, and since when.
 *
 * @param address     the source IP address, as the SIP stack reports it
 * @param reason      a short token naming the defence that banned it
 * @param count       failures or requests counted in the window that earned the ban
 * @param sinceMillis when the ban started, epoch milliseconds
 * @param untilMillis when it ends, epoch milliseconds
 */
public record Ban(String address, String reason, long count, long sinceMillis, long untilMillis) {

    public Ban {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(reason, "reason");
        if (address.isBlank() || reason.contains("\t")) {
            throw new IllegalArgumentException("a ban needs an address and a reason without tabs");
        }
        if (untilMillis < sinceMillis) {
            throw new IllegalArgumentException("a ban cannot end before it starts");
        }
    }

    /** Whether the ban still holds at {@code nowMillis}. */
    public boolean activeAt(long nowMillis) {
        return nowMillis < untilMillis;
    }

    /** The value kept in the store: {@code reason TAB count TAB since TAB until} (a string every node can read). */
    String encode() {
        return reason + "\t" + count + "\t" + sinceMillis + "\t" + untilMillis;
    }

    /** The ban of {@code address} kept as {@link #encode()}; null for a value this version cannot read. */
    static Ban decode(String address, String value) {
        String[] parts = value == null ? new String[0] : value.split("\t");
        if (parts.length != 4) {
            return null;
        }
        try {
            return new Ban(address, parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                    Long.parseLong(parts[3]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
