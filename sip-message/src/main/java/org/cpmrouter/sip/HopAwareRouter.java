package org.cpmrouter.sip;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.message.Request;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.DefaultRouter;

/**
 * The stack's next-hop router: a request that carries an explicit {@link Hop} (set by {@link SipNode#send}) goes
 * there; any other request is routed the RFC 3261 way (top Route, else the Request-URI).
 */
public final class HopAwareRouter extends DefaultRouter {

    public HopAwareRouter(SipStack sipStack, String outboundProxy) {
        super(sipStack, outboundProxy);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (request instanceof SIPRequest) {
            Object data = ((SIPRequest) request).getApplicationData();
            if (data instanceof Hop) {
                return (Hop) data;
            }
        }
        return super.getNextHop(request);
    }
}
