package org.cpmrouter.sip;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UdpChannelReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's message parser ({@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}), with overload control in front:
 * while a node's {@link OverloadGuard} is full, a new request that arrives over UDP is refused {@code 503} with
 * {@code Retry-After} from its raw bytes, before the stack parses it. Parsing is the largest part of what a refusal
 * would otherwise cost, and a refusal must cost far less than the work it saves, or the refusals themselves use up
 * the capacity past the knee. Everything else goes to the {@link RequestScreeningParser} (malformed requests
 * answered 400) and the stack's parser: responses, ACK, methods the node does not hand
 * to its handler, requests over TCP, anything {@link RawRequestHead} is not sure about, and a retransmission of a
 * request the stack already has a transaction for (that transaction answers it). The node's listener keeps its own
 * check after parsing, for what gets through here.
 *
 * <p>Before that, every request datagram passes the node's {@link SourceScreen}: a request from a banned source is
 * answered with the screen's refusal (to the datagram's source address and port) from its raw bytes, and an ACK or
 * a datagram this cannot read from such a source is dropped, so that banned traffic costs about what shed traffic
 * costs, whatever the load.
 */
public final class EarlyRefusalParserFactory implements MessageParserFactory {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyRefusalParserFactory.class);
    private static final Map<SIPTransactionStack, Guarded> NODES = new ConcurrentHashMap<>();

    /** What a stack's node sheds with: its guard, its source screen, who counts its traffic, its handler's methods. */
    private record Guarded(Supplier<OverloadGuard> guard, Supplier<SourceScreen> screen,
                           Supplier<SipTrafficListener> traffic, Set<String> methods) {
    }

    /** Puts a started stack under overload control and source screening (the stack must use this factory). */
    static void register(Object stack, Supplier<OverloadGuard> guard, Supplier<SourceScreen> screen,
                         Supplier<SipTrafficListener> traffic, Set<String> methods) {
        if (stack instanceof SIPTransactionStack s) {
            NODES.put(s, new Guarded(guard, screen, traffic, methods));
        }
    }

    static void unregister(Object stack) {
        NODES.remove(stack);
    }

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser screening = new RequestScreeningParserFactory().createMessageParser(stack);
        return (bytes, readBody, strict, listener) -> refusedEarly(stack, bytes, listener)
                ? null // the stack drops a message its parser returns null for
                : screening.parseSIPMessage(bytes, readBody, strict, listener);
    }

    private static boolean refusedEarly(SIPTransactionStack stack, byte[] bytes, ParseExceptionListener listener) {
        Guarded node = NODES.get(stack);
        if (node == null) {
            return false;
        }
        String peer = UdpChannelReply.udpPeerAddress(listener);
        if (peer != null && isRequest(bytes)) {
            SourceScreen.Refusal refusal = node.screen().get().screen(peer);
            if (refusal != null) {
                refuseScreened(bytes, listener, peer, refusal, node.traffic().get());
                return true;
            }
        }
        if (!node.guard().get().isFull()) {
            return false;
        }
        RawRequestHead head = peer == null ? null : RawRequestHead.read(bytes);
        if (head == null || !node.methods().contains(head.method) || !head.sentByHost.equals(peer)
                || stack.findTransaction(head.branch, true) != null
                || stack.findPendingTransaction(head.branch) != null) {
            return false;
        }
        OverloadGuard guard = node.guard().get();
        guard.refused(head.callId);
        SipTrafficListener traffic = node.traffic().get();
        traffic.requestReceived(head.method);
        traffic.requestRefused(SipTrafficListener.Refusal.OVERLOAD);
        byte[] refusal = head.response(503, "Service Unavailable",
                Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE),
                List.of("Retry-After: " + guard.retryAfterSeconds()));
        try {
            UdpChannelReply.send(listener, refusal, InetAddress.getByName(peer), head.sentByPort);
            traffic.responseSent(503);
        } catch (Exception e) {
            LOG.debug("callId={} could not send 503: {}", LogText.of(head.callId), LogText.of(e.toString()));
        }
        return true;
    }

    /** A datagram that is not a response (which starts with the SIP version). */
    private static boolean isRequest(byte[] bytes) {
        return bytes.length > 8 && !(bytes[0] == 'S' && bytes[1] == 'I' && bytes[2] == 'P' && bytes[3] == '/');
    }

    /** Answers a screened request statelessly to where it came from; drops an ACK or what cannot be read. */
    private static void refuseScreened(byte[] bytes, ParseExceptionListener listener, String peer,
                                       SourceScreen.Refusal refusal, SipTrafficListener traffic) {
        RawRequestHead head = RawRequestHead.read(bytes);
        int port = UdpChannelReply.udpPeerPort(listener);
        if (head == null || "ACK".equals(head.method) || port <= 0) {
            return;
        }
        traffic.requestReceived(head.method);
        traffic.requestRefused(SipTrafficListener.Refusal.BANNED);
        byte[] answer = head.response(refusal.status(), refusal.reason(),
                Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE), List.of());
        try {
            UdpChannelReply.send(listener, answer, InetAddress.getByName(peer), port);
            traffic.responseSent(refusal.status());
        } catch (Exception e) {
            LOG.debug("callId={} could not send {}: {}", LogText.of(head.callId), refusal.status(),
                    LogText.of(e.toString()));
        }
    }
}
