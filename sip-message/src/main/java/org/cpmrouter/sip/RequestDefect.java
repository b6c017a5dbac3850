package org.cpmrouter.sip;

import javax.sip.message.Request;

import gov.nist.javax.sip.message.SIPMessage;

/**
 * Why a received request must be refused before anything else looks at it, found by {@link RequestScreeningParser}
 * and carried to {@link SipNode} as the parsed request's application data (which a sender cannot set).
 *
 * @param status 400 for a malformed request, 505 for a SIP-Version other than 2.0
 * @param reason the reason phrase: one line naming what is wrong, never text copied from the request
 */
record RequestDefect(int status, String reason) {

    static RequestDefect malformed(String reason) {
        return new RequestDefect(400, reason);
    }

    /** The defect the screening found in this request, or null. */
    static RequestDefect of(Request request) {
        if (request instanceof SIPMessage) {
            Object data = ((SIPMessage) request).getApplicationData();
            if (data instanceof RequestDefect) {
                return (RequestDefect) data;
            }
        }
        return null;
    }
}
