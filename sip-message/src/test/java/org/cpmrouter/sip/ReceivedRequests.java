package org.cpmrouter.sip;

import java.text.ParseException;

import javax.sip.message.Request;

/**
 * Test access to what the node makes of a datagram before the handler sees it: the screening parser's request, and
 * the {@link IncomingRequest} around it (no server transaction, not counted by an overload guard), so that the
 * binding can be exercised and timed without a socket round trip.
 */
public final class ReceivedRequests {

    private ReceivedRequests() {
    }

    /** Parses a request datagram as the node's stack does (screening parser, datagram rules). */
    public static Request parse(byte[] datagram) throws ParseException {
        return (Request) new RequestScreeningParser(8192).parseSIPMessage(datagram, true, false, null);
    }

    /** The request as the node's handler gets it, from 127.0.0.1:remotePort over UDP. */
    public static IncomingRequest incoming(SipNode node, Request request, int remotePort) {
        return new IncomingRequest(node, request, null, "127.0.0.1", remotePort, "udp", null, SipTrafficListener.NONE);
    }
}
