package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * What happened to a message that the network could report to its sender (RFC 5438), inserted by Java at
 * DELIVERY_REPORT. Immutable.
 *
 * <p>{@code status} is the IMDN status the report would carry: {@code delivered} (an SMS delivery receipt said so),
 * {@code failed} (delivery failed for good: a group member refused it, an SMS receipt said undeliverable, a held
 * message expired) or {@code stored} (the message is held for deferred delivery). {@code notification} is the
 * {@code imdn.Disposition-Notification} value by which a sender asks for that kind of report, as RFC 5438 pairs
 * them: {@code positive-delivery} for delivered, {@code negative-delivery} for failed, {@code processing} for stored.
 */
public final class ReportEvent {

    private final String status;
    private final String notification;

    public ReportEvent(String status, String notification) {
        this.status = Objects.requireNonNull(status, "status");
        this.notification = Objects.requireNonNull(notification, "notification");
    }

    /** {@code delivered}, {@code failed} or {@code stored}. */
    public String getStatus() {
        return status;
    }

    /** The Disposition-Notification value that asks for this report. */
    public String getNotification() {
        return notification;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ReportEvent that && status.equals(that.status)
                && notification.equals(that.notification);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, notification);
    }

    @Override
    public String toString() {
        return "ReportEvent[status=" + status + ", notification=" + notification + "]";
    }
}
