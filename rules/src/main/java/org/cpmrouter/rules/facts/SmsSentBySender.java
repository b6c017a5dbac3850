package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * How many SMS a sender has had sent through the Interworking Function lately, inserted by Java at
 * INTERWORKING_SELECTION for the asserted sender: the SMS of the last hour and of the last day (sliding windows,
 * counted by this router node when the SMSC took each one). sms-quota.drl compares them with the quotas. Immutable.
 */
public final class SmsSentBySender {

    private final String sender;
    private final int lastHour;
    private final int lastDay;

    public SmsSentBySender(String sender, int lastHour, int lastDay) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.lastHour = lastHour;
        this.lastDay = lastDay;
    }

    /** The asserted sender, as in {@link MessageContext#getSender()}. */
    public String getSender() {
        return sender;
    }

    /** SMS sent in the last 60 minutes. */
    public int getLastHour() {
        return lastHour;
    }

    /** SMS sent in the last 24 hours. */
    public int getLastDay() {
        return lastDay;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof SmsSentBySender that && sender.equals(that.sender)
                && lastHour == that.lastHour && lastDay == that.lastDay;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sender, lastHour, lastDay);
    }

    @Override
    public String toString() {
        return "SmsSentBySender[" + sender + ", lastHour=" + lastHour + ", lastDay=" + lastDay + "]";
    }
}
