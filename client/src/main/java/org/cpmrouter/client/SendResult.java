package org.cpmrouter.client;

/** The final response a request got: status, reason phrase, and the request's Call-ID. */
public record SendResult(int status, String reason, String callId) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        return status + " " + reason;
    }
}
