package org.cpmrouter.sip;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's refusals of a request from its raw bytes, before it is parsed: a datagram on both UDP paths (the JAIN-SIP
 * stack's, through {@link EarlyRefusalParserFactory}, and the {@link LeanUdpTransport}):
 * <ul>
 * <li>a request from a source its {@link SourceScreen} bans is answered with the screen's refusal, to the datagram's
 * source address and port; an ACK or a datagram this cannot read from such a source is dropped, so that banned
 * traffic costs about what shed traffic costs, whatever the load;</li>
 * <li>while its {@link OverloadGuard} is full, a new request of a method the handler takes is answered {@code 503}
 * with {@code Retry-After}. Parsing is the largest part of what a refusal would otherwise cost, and a refusal must
 * cost far less than the work it saves. A retransmission of a request that has a transaction is never refused here
 * (the transaction answers it), nor anything {@link RawRequestHead} is not sure about.</li>
 * </ul>
 * And a request read from a TCP or TLS connection with more than the guard's bound of bytes waiting behind it there
 * is answered {@code 503} the same way, on its connection ({@link #refusedBehindBacklog}).
 */
final class EarlyRefusal {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyRefusal.class);

    /** Sends a datagram from the socket the request came in on. */
    @FunctionalInterface
    interface Reply {
        void send(byte[] datagram, InetAddress to, int port) throws IOException;
    }

    private final Supplier<OverloadGuard> guard;
    private final Supplier<SourceScreen> screen;
    private final Supplier<SipTrafficListener> traffic;
    private final Set<String> methods;

    EarlyRefusal(Supplier<OverloadGuard> guard, Supplier<SourceScreen> screen, Supplier<SipTrafficListener> traffic,
                 Set<String> methods) {
        this.guard = guard;
        this.screen = screen;
        this.traffic = traffic;
        this.methods = methods;
    }

    /**
     * Whether the datagram was refused (answered or dropped); false lets it on to the parser.
     *
     * @param peer           the datagram's source address
     * @param peerPort       its source port, asked only for a screened request
     * @param hasTransaction whether a transaction exists for a lower-cased branch
     * @param reply          sends the refusal
     */
    boolean refused(byte[] bytes, String peer, IntSupplier peerPort, Predicate<String> hasTransaction, Reply reply) {
        if (isRequest(bytes)) {
            SourceScreen.Refusal refusal = screen.get().screen(peer);
            if (refusal != null) {
                refuseScreened(bytes, peer, peerPort.getAsInt(), refusal, reply);
                return true;
            }
        }
        OverloadGuard full = guard.get();
        if (!full.isFull()) {
            return false;
        }
        RawRequestHead head = RawRequestHead.read(bytes);
        if (head == null || !methods.contains(head.method) || !head.sentByHost.equals(peer)
                || hasTransaction.test(head.branch)) {
            return false;
        }
        full.refused(head.callId);
        answerOverloaded(head, full, answer -> reply.send(answer, InetAddress.getByName(peer), head.sentByPort));
        return true;
    }

    /** The node's bound on a connection's backlog behind a new request, in bytes; 0: none. */
    int connectionBacklogBytes() {
        return guard.get().connectionBacklogBytes();
    }

    /**
     * Whether a request read from a TCP or TLS connection was refused 503 with {@code Retry-After} on that
     * connection, from its head alone, because {@code unreadBytes} wait behind it there (more than the guard's
     * {@link OverloadGuard#connectionBacklogBytes}); false lets it on to the parser. Like a datagram's refusal, only
     * a new request of a method the handler takes, read by {@link RawRequestHead#readFromStream}, with no
     * transaction.
     *
     * @param head           the request's head, as the stack read it from the connection (its body follows)
     * @param hasTransaction whether a transaction exists for a lower-cased branch
     * @param reply          sends the refusal on the request's connection
     */
    boolean refusedBehindBacklog(byte[] head, int unreadBytes, Predicate<String> hasTransaction, Send reply) {
        OverloadGuard full = guard.get();
        if (!isRequest(head) || !full.behindBacklog(unreadBytes)) {
            return false;
        }
        RawRequestHead request = RawRequestHead.readFromStream(withCrlfLineEnds(head));
        if (request == null || !methods.contains(request.method) || hasTransaction.test(request.branch)) {
            return false;
        }
        full.refusedBehindBacklog(request.callId, unreadBytes);
        answerOverloaded(request, full, reply);
        return true;
    }

    /** Counts an overload refusal of {@code head}'s request and sends its 503 with the guard's Retry-After. */
    private void answerOverloaded(RawRequestHead head, OverloadGuard guard, Send send) {
        SipTrafficListener counts = traffic.get();
        counts.requestReceived(head.method);
        counts.requestRefused(SipTrafficListener.Refusal.OVERLOAD);
        try {
            send.send(head.response(503, "Service Unavailable", SipNode.randomTag(),
                    List.of("Retry-After: " + guard.retryAfterSeconds())));
            counts.responseSent(503);
        } catch (IOException | RuntimeException e) {
            LOG.debug("callId={} could not send 503: {}", LogText.of(head.callId), LogText.of(e.toString()));
        }
    }

    /**
     * A head as the stack's stream parser hands it over, with CRLF line ends again: that parser reads a connection
     * line by line and joins the lines with LF (all but the blank line that ends the head), while
     * {@link RawRequestHead} reads only a head whose every line ends in CRLF, as on the wire.
     */
    static byte[] withCrlfLineEnds(byte[] head) {
        int bare = 0;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) {
                bare++;
            }
        }
        if (bare == 0) {
            return head;
        }
        byte[] out = new byte[head.length + bare];
        int o = 0;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) {
                out[o++] = '\r';
            }
            out[o++] = head[i];
        }
        return out;
    }

    /** Sends a whole message back where a request came from (on its connection, or to its datagram's sender). */
    @FunctionalInterface
    interface Send {
        void send(byte[] message) throws IOException;
    }

    /** A datagram that is not a response (which starts with the SIP version). */
    static boolean isRequest(byte[] bytes) {
        return bytes.length > 8 && !(bytes[0] == 'S' && bytes[1] == 'I' && bytes[2] == 'P' && bytes[3] == '/');
    }

    /** Answers a screened request statelessly to where it came from; drops an ACK or what cannot be read. */
    private void refuseScreened(byte[] bytes, String peer, int port, SourceScreen.Refusal refusal, Reply reply) {
        RawRequestHead head = RawRequestHead.read(bytes);
        if (head == null || "ACK".equals(head.method) || port <= 0) {
            return;
        }
        SipTrafficListener counts = traffic.get();
        counts.requestReceived(head.method);
        counts.requestRefused(SipTrafficListener.Refusal.BANNED);
        byte[] answer = head.response(refusal.status(), refusal.reason(), SipNode.randomTag(), List.of());
        try {
            reply.send(answer, InetAddress.getByName(peer), port);
            counts.responseSent(refusal.status());
        } catch (IOException | RuntimeException e) {
            LOG.debug("callId={} could not send {}: {}", LogText.of(head.callId), refusal.status(),
                    LogText.of(e.toString()));
        }
    }
}
