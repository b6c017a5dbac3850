package org.cpmrouter.sip;

/**
 * Thrown by a route (or by the code it calls) to refuse a request with a given SIP final response.
 * The consumer answers with {@link #status()} and {@link #reason()}.
 */
public class SipResponseException extends RuntimeException {

    private final int status;
    private final String reason;
    private final java.util.List<String> headers;

    public SipResponseException(int status, String reason) {
        this(status, reason, java.util.List.of());
    }

    /**
     * @param headers header lines the refusal must carry, such as {@code "Min-Expires: 60"} on a 423 or
     *                {@code "Retry-After: 5"} on a 503
     */
    public SipResponseException(int status, String reason, java.util.List<String> headers) {
        super(status + " " + reason);
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("not a failure status: " + status);
        }
        this.status = status;
        this.reason = reason;
        this.headers = java.util.List.copyOf(headers);
    }

    public SipResponseException(int status) {
        this(status, SipStatus.reasonPhrase(status));
    }

    /** The refusal in a failure's cause chain, if there is one. */
    public static java.util.Optional<SipResponseException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SipResponseException) {
                return java.util.Optional.of((SipResponseException) t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return java.util.Optional.empty();
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public java.util.List<String> headers() {
        return headers;
    }
}
