package org.cpmrouter.sip;

/**
 * Thrown by a route (or by the code it calls) to refuse a request with a given SIP final response.
 * The consumer answers with {@link #status()} and {@link #reason()}.
 */
public class SipResponseException extends RuntimeException {

    private final int status;
    private final String reason;

    public SipResponseException(int status, String reason) {
        super(status + " " + reason);
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("not a failure status: " + status);
        }
        this.status = status;
        this.reason = reason;
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
}
