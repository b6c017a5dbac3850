package org.cpmrouter.sip;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UdpChannelReply;

/**
 * The stack's message parser ({@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}), with a node's
 * {@link EarlyRefusal} in front for datagrams (source screening, and overload control while its guard is full)
 * before the stack parses them. Everything else goes to the {@link RequestScreeningParser} (malformed requests
 * answered 400) and the stack's parser: responses, requests over TCP, and whatever the early refusal lets through.
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
        return (bytes, readBody, strict, listener) -> refusedEarly(stack, bytes, listener)
                ? null // the stack drops a message its parser returns null for
                : screening.parseSIPMessage(bytes, readBody, strict, listener);
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
