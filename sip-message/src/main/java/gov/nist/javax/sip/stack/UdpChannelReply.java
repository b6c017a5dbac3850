package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.net.InetAddress;

import gov.nist.javax.sip.parser.ParseExceptionListener;

/**
 * Answers a datagram before the stack parses it: sends raw bytes back through the UDP channel that is parsing it,
 * from the stack's own socket, or answers a retransmitted request from its server transaction. It lives in the
 * JAIN-SIP RI's package only because the RI offers those to its own package: the CPM Router's overload control and
 * retransmission absorption use it (see {@code org.cpmrouter.sip.EarlyRefusalParserFactory}).
 */
public final class UdpChannelReply {

    private UdpChannelReply() {
    }

    /** The channel's peer (the datagram's source) when {@code listener} is a UDP channel, else null. */
    public static String udpPeerAddress(ParseExceptionListener listener) {
        return listener instanceof UDPMessageChannel ? ((UDPMessageChannel) listener).getPeerAddress() : null;
    }

    /** The datagram the channel is parsing; the RI keeps it in a private field and sets its peer port only later. */
    private static final java.lang.reflect.Field INCOMING_PACKET = incomingPacketField();

    private static java.lang.reflect.Field incomingPacketField() {
        try {
            java.lang.reflect.Field field = UDPMessageChannel.class.getDeclaredField("incomingPacket");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // an RI without it: no port, and refusals that need one are dropped instead
        }
    }

    /**
     * The source port of the datagram {@code listener} is parsing when it is a UDP channel, else -1. (The channel's
     * own peer port is not yet this datagram's while it is being parsed: channels are reused by the reading threads.)
     */
    public static int udpPeerPort(ParseExceptionListener listener) {
        if (!(listener instanceof UDPMessageChannel) || INCOMING_PACKET == null) {
            return -1;
        }
        try {
            Object packet = INCOMING_PACKET.get(listener);
            return packet instanceof java.net.DatagramPacket p ? p.getPort() : -1;
        } catch (IllegalAccessException e) {
            return -1;
        }
    }

    /** Sends {@code bytes} to peerAddress:port through the UDP channel {@code listener}. */
    public static void send(ParseExceptionListener listener, byte[] bytes, InetAddress peerAddress, int port)
            throws IOException {
        ((UDPMessageChannel) listener).sendMessage(bytes, peerAddress, port, false);
    }

    /**
     * Handles a request datagram as a retransmission when the stack has a server transaction of that branch (the
     * stack's key: lower-cased, not a CANCEL's) whose request had the same method and CSeq number: the transaction
     * sends its last response again, or, while it has sent none, the copy is dropped (RFC 3261 section 17.2.2, as
     * the stack itself does after parsing). The branch, method and CSeq number were read from the raw datagram.
     *
     * @return whether the datagram was such a retransmission (and needs nothing more)
     */
    public static boolean absorbedRetransmission(SIPTransactionStack stack, String branch, String method, long cseq)
            throws IOException {
        SIPTransaction tx = stack.findTransaction(branch, true);
        if (!(tx instanceof SIPServerTransactionImpl server) || server.originalRequestCSeqNumber != cseq
                || !method.equals(server.getMethod())) {
            return false;
        }
        if (server.getLastResponseStatusCode() >= 100) {
            server.resendLastResponseAsBytes();
        }
        return true;
    }
}
