package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.net.InetAddress;

import gov.nist.javax.sip.parser.ParseExceptionListener;

/**
 * Sends raw bytes back through the UDP channel that is parsing a datagram, from the stack's own socket. It lives in
 * the JAIN-SIP RI's package only because the RI offers that send to its own package: the CPM Router's overload
 * control uses it to refuse a request before the request is parsed (see
 * {@code org.cpmrouter.sip.EarlyRefusalParserFactory}).
 */
public final class UdpChannelReply {

    private UdpChannelReply() {
    }

    /** The channel's peer (the datagram's source) when {@code listener} is a UDP channel, else null. */
    public static String udpPeerAddress(ParseExceptionListener listener) {
        return listener instanceof UDPMessageChannel ? ((UDPMessageChannel) listener).getPeerAddress() : null;
    }

    /** Sends {@code bytes} to peerAddress:port through the UDP channel {@code listener}. */
    public static void send(ParseExceptionListener listener, byte[] bytes, InetAddress peerAddress, int port)
            throws IOException {
        ((UDPMessageChannel) listener).sendMessage(bytes, peerAddress, port, false);
    }
}
