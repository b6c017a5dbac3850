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
}
