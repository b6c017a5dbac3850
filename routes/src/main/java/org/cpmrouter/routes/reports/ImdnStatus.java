package org.cpmrouter.routes.reports;

/**
 * What a network-generated delivery report (IMDN, RFC 5438 section 7) says about a message, and what its sender
 * must have asked for in {@code imdn.Disposition-Notification} to get it.
 */
public enum ImdnStatus {

    /** Delivered to the recipient (an SMS delivery receipt said so): {@code <delivered/>}, for positive-delivery. */
    DELIVERED("delivered", "positive-delivery", "delivery-notification"),
    /** Will never be delivered: {@code <failed/>}, for negative-delivery. */
    FAILED("failed", "negative-delivery", "delivery-notification"),
    /** Processing: stored for deferred delivery: {@code <stored/>}, for processing. */
    STORED("stored", "processing", "processing-notification");

    private final String status;
    private final String notification;
    private final String element;

    ImdnStatus(String status, String notification, String element) {
        this.status = status;
        this.notification = notification;
        this.element = element;
    }

    /** The status element's name in the IMDN body, and the status the rules see: {@code failed}. */
    public String status() {
        return status;
    }

    /** The Disposition-Notification value that asks for this report: {@code negative-delivery}. */
    public String notification() {
        return notification;
    }

    /** The notification element of the IMDN body: {@code delivery-notification}. */
    String element() {
        return element;
    }
}
