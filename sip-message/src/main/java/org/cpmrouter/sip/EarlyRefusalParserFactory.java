package org.cpmrouter.sip;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.StreamChannelBacklog;
import gov.nist.javax.sip.stack.UdpChannelReply;

/**
 * The stack's message parser ({@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}), with a node's
 * {@link EarlyRefusal} in front for datagrams (source screening, and overload control while its guard is full)
 * before the stack parses them, and for requests read from a TCP or TLS connection with more than the guard's
 * backlog behind them ({@link OverloadGuard#connectionBacklogBytes}). Everything else goes to the
 * {@link RequestScreeningParser} (malformed requests answered 400) and the stack's parser: responses, the other
 * requests over TCP and TLS, and whatever the early refusal lets through.
 * The node's listener keeps its own checks after parsing, for what gets through here.
 */
public final class EarlyRefusalParserFactory implements MessageParserFactory {

    private static final Map<SIPTransactionStack, EarlyRefusal> NODES = new ConcurrentHashMap<>();

    /** Puts a started stack under a node's early refusal (the stack must use this factory). */
    static void register(Object stack, EarlyRefusal refusal) {
        if (stack instanceof SIPTransactionStack s) {
            NODES.put(s, refusal);
        }
    }

    static void unregister(Object stack) {
        NODES.remove(stack);
    }

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser screening = new RequestScreeningParserFactory().createMessageParser(stack);
        return (bytes, readBody, strict, listener) -> {
            if (refusedEarly(stack, bytes, listener)) {
                return null; // the stack drops a datagram its parser returns null for
            }
            SIPMessage framing = refusedBehindBacklog(stack, bytes, listener);
            return framing != null ? framing : screening.parseSIPMessage(bytes, readBody, strict, listener);
        };
    }

    /**
     * A request read from a connection with more than the guard's backlog behind it, refused on the connection:
     * what the stack gets in its place (its Content-Length, to read past its body); null when not refused.
     */
    private static SIPMessage refusedBehindBacklog(SIPTransactionStack stack, byte[] bytes,
                                                   ParseExceptionListener listener) {
        if (!StreamChannelBacklog.isStream(listener)) {
            return null; // a datagram: refusedEarly's
        }
        EarlyRefusal node = NODES.get(stack);
        int bound = node == null ? 0 : node.connectionBacklogBytes();
        if (bound == 0) {
            return null;
        }
        int unread = StreamChannelBacklog.unreadBytes(listener, bound + 1);
        if (unread <= bound) {
            return null;
        }
        SIPMessage framing = RequestScreeningParser.streamFraming(bytes);
        boolean refused = framing != null && node.refusedBehindBacklog(bytes, unread,
                branch -> stack.findTransaction(branch, true) != null || stack.findPendingTransaction(branch) != null,
                answer -> StreamChannelBacklog.send(listener, answer));
        return refused ? framing : null;
    }

    private static boolean refusedEarly(SIPTransactionStack stack, byte[] bytes, ParseExceptionListener listener) {
        EarlyRefusal node = NODES.get(stack);
        String peer = UdpChannelReply.udpPeerAddress(listener);
        if (node == null || peer == null) {
            return false;
        }
        return node.refused(bytes, peer, () -> UdpChannelReply.udpPeerPort(listener),
                branch -> stack.findTransaction(branch, true) != null || stack.findPendingTransaction(branch) != null,
                (answer, to, port) -> UdpChannelReply.send(listener, answer, to, port));
    }
}
