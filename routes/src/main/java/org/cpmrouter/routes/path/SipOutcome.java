package org.cpmrouter.routes.path;

import org.apache.camel.Exchange;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.SipStatus;
import org.cpmrouter.sip.camel.SipMessageConstants;

/**
 * The final SIP status an exchange came to: a refusal's status and reason, 500 for any other failure, else the
 * status a SIP producer or a route set (500 when none was set: no outcome is no success).
 */
public record SipOutcome(int status, String reason) {

    public static SipOutcome of(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            return SipResponseException.in(failure).map(r -> new SipOutcome(r.status(), r.reason()))
                    .orElseGet(() -> new SipOutcome(500, failure.toString()));
        }
        Integer code = exchange.getMessage().getHeader(SipMessageConstants.STATUS_CODE, Integer.class);
        int status = code == null ? 500 : code;
        return new SipOutcome(status, exchange.getMessage().getHeader(SipMessageConstants.REASON_PHRASE,
                SipStatus.reasonPhrase(status), String.class));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
