package org.cpmrouter.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.sip.message.Response;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lean UDP path of a {@link SipNode} ({@code udpPath} {@link SipNodeConfig.UdpPath#LEAN}): its own socket on the
 * node's port, a reader thread, handler threads that parse what it read and hand a request to the node, and the
 * non-INVITE transactions of RFC 3261 §17.1.2 and §17.2.2, in place of the JAIN-SIP stack's UDP listening point,
 * message channels and transaction layer. Messages are still the RI's {@code javax.sip} objects, parsed by the same
 * {@link RequestScreeningParser}, so what the node and the routes see does not change. TCP and TLS stay the
 * stack's.
 *
 * <ul>
 * <li><b>Server side.</b> A request is matched to its transaction by top Via branch and method (RFC 3261
 * §17.2.3). A retransmission is absorbed while the request is handled, and answered with the stored final response
 * after; Timer J forgets the transaction 32 s after its final response. The response goes to the datagram's source
 * address, and to its source port when the top Via has {@code rport} (RFC 3581) or else to the Via's port (§18.2.2);
 * {@code received} and {@code rport} are written into the request's top Via as the stack writes them.</li>
 * <li><b>Client side.</b> A request is sent to its next hop and retransmitted at Timer E (500 ms, doubling to T2,
 * 4 s; at T2 once a provisional came); Timer F (32 s) completes it with the node's locally made 408. A final
 * response is matched by its top Via branch; a stray one (for no transaction, or a retransmission of one already
 * taken) is dropped.</li>
 * <li><b>Reading.</b> One reader thread takes every datagram off the socket as it comes and queues it for the
 * handler threads: answers to the node's own requests first, then requests, oldest first. Requests and answers
 * share the socket, and the overload guard counts a relayed request until its answer is handled; when the handler
 * threads read the socket themselves, a backlog of requests (new ones and their senders' retransmissions) kept the
 * answers behind it, so the count stayed at its bound and the guard refused requests the node had time for. A
 * request that waited longer than the queue timeout is dropped unread (its sender has sent it again by then), and
 * so is one that finds {@value #REQUEST_QUEUE_LIMIT} requests queued, as a full socket buffer would drop it (an
 * answer that finds {@value #ANSWER_QUEUE_LIMIT} answers queued too); a WARN line every {@value #DROP_REPORT_SECONDS}
 * s counts them, and the node's {@link SipTrafficListener} hears of each.</li>
 * <li><b>Timers</b> of one delay come due in the order they were set ({@link ConstantDelayTimers}); one thread
 * fires them every {@value #TICK_MS} ms, and a finished transaction's timers are skipped when they come due rather
 * than cancelled.</li>
 * </ul>
 * A datagram first passes the node's {@link EarlyRefusal} (source screen, overload), as on the stack's path.
 * Keep-alives (a bare CRLF, STUN) and what does not parse are dropped, the latter with a DEBUG line.
 */
final class LeanUdpTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeanUdpTransport.class);

    static final long T1_MS = 500;
    static final long T2_MS = 4_000;
    /** Timer F for a client transaction and Timer J for a server one over UDP: 64*T1. */
    static final long TIMER_F_MS = 64 * T1_MS;
    static final long TIMER_J_MS = 64 * T1_MS;
    private static final long TICK_MS = 10;
    /**
     * Requests read and not yet handled, at most: about what the socket's receive buffer holds, so that the reader
     * thread taking them off the socket adds no more waiting than the buffer did.
     */
    static final int REQUEST_QUEUE_LIMIT = 2048;
    /**
     * Answers read and not yet handled, at most: twice the request limit, far more than the requests a node waits
     * on at once, so that only a flood of forged answers meets it.
     */
    static final int ANSWER_QUEUE_LIMIT = 2 * REQUEST_QUEUE_LIMIT;
    private static final int DROP_REPORT_SECONDS = 5;
    /**
     * The socket's receive buffer: enough for a burst or a GC pause, small enough that what waits in it is read well
     * before the sender retransmits (T1). Everything in a longer queue is answered after its sender sent it again,
     * and under overload those late answers (503s included) and the retransmissions they cause take the capacity:
     * offered 10,000/s for 15 s on the 2-core bench, 1 MiB kept 3,554-4,520/s, 4 MiB 2,516-3,320/s and 256 KiB
     * 3,046-3,201/s (bench/README.md); 1 MiB still carried 4,500/s with 0 failed. The kernel doubles it, and caps it
     * at net.core.rmem_max.
     */
    private static final int RECEIVE_BUFFER_BYTES = 1 << 20;
    /** A parse failure in one of these fails the message; any other header that does not parse is kept as text. */
    private static final Set<Class<?>> REQUIRED_HEADERS = Set.of(From.class, To.class, CSeq.class, Via.class,
            CallID.class, ContentLength.class, RequestLine.class, StatusLine.class);
    /** As the stack's UDP channel treats a header it cannot parse. */
    private static final ParseExceptionListener KEEP_OPTIONAL_HEADERS = (e, message, headerClass, header, text) -> {
        if (headerClass != null && REQUIRED_HEADERS.contains(headerClass)) {
            throw e;
        }
        message.addUnparsed(header);
    };

    /** What the node does with what this transport receives. */
    interface Receiver {
        /** A new request (not a retransmission), parsed, to be answered through {@code server}. */
        void onRequest(SIPRequest request, ServerTransaction server, String peer, int peerPort);
    }

    private final DatagramChannel channel;
    private final String host;
    private final int port;
    private final MessageParser parser;
    private final int datagramLimit;
    private final EarlyRefusal earlyRefusal;
    private final Supplier<SipTrafficListener> traffic;
    private final Receiver receiver;
    private final Map<String, ServerTransaction> servers = new ConcurrentHashMap<>();
    private final Map<String, ClientTransaction> clients = new ConcurrentHashMap<>();
    /** Timer E at T1, 2*T1, 4*T1 and T2. */
    private final List<ConstantDelayTimers<ClientTransaction>> retransmitTimers = new ArrayList<>();
    private final ConstantDelayTimers<ClientTransaction> timeoutTimers = new ConstantDelayTimers<>(TIMER_F_MS);
    private final ConstantDelayTimers<ServerTransaction> completedTimers = new ConstantDelayTimers<>(TIMER_J_MS);
    private final List<Thread> threads = new ArrayList<>();
    private final long queueTimeoutNanos;
    /** Datagrams read and not yet handled, answers taken first; one permit of {@link #queued} each. */
    private final Lane answers = new Lane(ANSWER_QUEUE_LIMIT);
    private final Lane requests = new Lane(REQUEST_QUEUE_LIMIT);
    private final Semaphore queued = new Semaphore(0);
    private final AtomicLong droppedWaitedTooLong = new AtomicLong();
    private long nextDropReportNanos = System.nanoTime();

    /** A datagram as the reader took it off the socket. */
    private record Received(byte[] datagram, InetSocketAddress from, long atNanos) {
    }

    /** One queue of read datagrams, bounded, counting those that found it full. */
    private static final class Lane {
        private final Queue<Received> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger size = new AtomicInteger();
        private final AtomicLong droppedFull = new AtomicLong();
        private final int limit;

        Lane(int limit) {
            this.limit = limit;
        }

        /** Queues it, or counts it dropped when {@code limit} are queued already. */
        boolean offer(Received received) {
            if (size.incrementAndGet() > limit) {
                size.decrementAndGet();
                droppedFull.incrementAndGet();
                return false;
            }
            queue.add(received);
            return true;
        }

        Received poll() {
            Received next = queue.poll();
            if (next != null) {
                size.decrementAndGet();
            }
            return next;
        }
    }

    private LeanUdpTransport(DatagramChannel channel, String host, int port, MessageParser parser, int datagramLimit,
                             long queueTimeoutMs, EarlyRefusal earlyRefusal, Supplier<SipTrafficListener> traffic,
                             Receiver receiver) {
        this.channel = channel;
        this.queueTimeoutNanos = queueTimeoutMs <= 0 ? Long.MAX_VALUE : queueTimeoutMs * 1_000_000;
        this.host = host;
        this.port = port;
        this.parser = parser;
        this.datagramLimit = datagramLimit;
        this.earlyRefusal = earlyRefusal;
        this.traffic = traffic;
        this.receiver = receiver;
        for (long delay = T1_MS; delay < T2_MS; delay *= 2) {
            retransmitTimers.add(new ConstantDelayTimers<>(delay));
        }
        retransmitTimers.add(new ConstantDelayTimers<>(T2_MS));
    }

    /**
     * Binds host:port on UDP and starts the reader thread, {@code handlers} handler threads and the timer thread.
     *
     * @param datagramLimit  the receive buffer: a datagram that fills it was cut short (the parser answers 513)
     * @param queueTimeoutMs a request read longer ago than this when a handler thread is free is dropped unread (0:
     *                       never)
     * @param traffic        the node's listener, told of every datagram dropped unread
     */
    static LeanUdpTransport open(String host, int port, int handlers, MessageParser parser, int datagramLimit,
                                 long queueTimeoutMs, EarlyRefusal earlyRefusal, Supplier<SipTrafficListener> traffic,
                                 Receiver receiver)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot bind UDP " + host + ":" + port + ": " + e.getMessage(), e);
        }
        LeanUdpTransport transport = new LeanUdpTransport(channel, host, port, parser, datagramLimit, queueTimeoutMs,
                earlyRefusal, traffic, receiver);
        transport.startThread("sip-udp-" + port + "-reader", transport::readLoop);
        for (int i = 0; i < handlers; i++) {
            transport.startThread("sip-udp-" + port + "-" + i, transport::handleLoop);
        }
        transport.startThread("sip-udp-timers-" + port, transport::timerLoop);
        return transport;
    }

    private void startThread(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    // ---- receiving ----

    /** The reader thread: takes each datagram off the socket and queues it, answers apart from requests. */
    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(datagramLimit);
        while (channel.isOpen()) {
            SocketAddress from;
            byte[] datagram;
            try {
                buffer.clear();
                from = channel.receive(buffer);
                buffer.flip();
                datagram = new byte[buffer.remaining()];
                buffer.get(datagram);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debug("UDP {}:{} receive failed: {}", host, port, e.toString());
                continue;
            }
            if (!isKeepAlive(datagram)) {
                queue(new Received(datagram, (InetSocketAddress) from, System.nanoTime()));
            }
        }
    }

    private void queue(Received received) {
        boolean request = EarlyRefusal.isRequest(received.datagram());
        if ((request ? requests : answers).offer(received)) {
            queued.release();
        } else {
            traffic.get().datagramDropped(request, SipTrafficListener.Drop.QUEUE_FULL);
        }
    }

    /** A handler thread: handles what the reader queued, answers first (each may finish a counted request). */
    private void handleLoop() {
        while (channel.isOpen()) {
            try {
                queued.acquire();
            } catch (InterruptedException e) {
                return;
            }
            Received next = answers.poll();
            boolean request = next == null;
            if (request) {
                next = requests.poll();
                if (next == null) {
                    continue; // cannot happen: a permit is released after its datagram is queued
                }
                if (System.nanoTime() - next.atNanos() > queueTimeoutNanos) {
                    droppedWaitedTooLong.incrementAndGet();
                    traffic.get().datagramDropped(true, SipTrafficListener.Drop.QUEUE_TIMEOUT);
                    continue;
                }
            }
            try {
                received(next.datagram(), next.from(), request);
            } catch (RuntimeException e) {
                LOG.warn("UDP {}:{} datagram from {} not handled: {}", host, port, next.from(),
                        LogText.of(e.toString()));
            }
        }
    }

    /** @param request what the reader found it to be ({@link EarlyRefusal#isRequest}) */
    private void received(byte[] datagram, InetSocketAddress from, boolean request) {
        String peer = from.getAddress().getHostAddress();
        if (request && earlyRefusal.refused(datagram, peer, from::getPort,
                servers::containsKey, (answer, to, toPort) -> send(answer, new InetSocketAddress(to, toPort)))) {
            return;
        }
        SIPMessage message;
        try {
            message = parser.parseSIPMessage(datagram, true, false, KEEP_OPTIONAL_HEADERS);
        } catch (ParseException e) {
            LOG.debug("unreadable datagram from {}:{} dropped: {}", peer, from.getPort(), LogText.of(e.getMessage()));
            return;
        }
        if (message instanceof SIPResponse response) {
            responseReceived(response);
        } else if (message instanceof SIPRequest parsed) {
            requestReceived(parsed, from, peer);
        }
        // null: the screening parser dropped it (and said why)
    }

    /** A bare CRLF (RFC 5626 §3.5.1 keep-alive, sent over UDP by some clients) or STUN (first byte 0 or 1). */
    private static boolean isKeepAlive(byte[] datagram) {
        if (datagram.length == 0 || datagram[0] == 0 || datagram[0] == 1) {
            return true;
        }
        for (byte b : datagram) {
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private void requestReceived(SIPRequest request, InetSocketAddress from, String peer) {
        Via top = request.getTopmostVia();
        if (top == null || SIPRequest.ACK.equals(request.getMethod())) {
            return; // no MESSAGE transaction takes an ACK
        }
        boolean rport = top.hasParameter(Via.RPORT);
        try {
            if (rport || !peer.equals(top.getHost())) {
                top.setReceived(peer);
            }
            if (rport) {
                top.setParameter(Via.RPORT, Integer.toString(from.getPort()));
            }
        } catch (ParseException e) {
            LOG.debug("callId={} Via not marked with its source: {}", LogText.of(SipNode.callIdOf(request)),
                    LogText.of(e.toString()));
        }
        int replyPort = rport ? from.getPort() : (top.getPort() > 0 ? top.getPort() : 5060);
        InetSocketAddress replyTo = new InetSocketAddress(from.getAddress(), replyPort);
        if (cseqMismatch(request)) {
            // as the stack's UDP channel answers it, before any transaction: 400 with the stack's phrase
            sendStateless(request.createResponse(SIPResponse.BAD_REQUEST), replyTo);
            return;
        }
        String key = serverKey(top.getBranch(), request);
        ServerTransaction server = new ServerTransaction(key, replyTo);
        ServerTransaction known = servers.putIfAbsent(key, server);
        if (known != null) {
            known.retransmitted();
            return;
        }
        receiver.onRequest(request, server, peer, from.getPort());
    }

    /** A CSeq method that is not the Request-Line's (RFC 3261 §8.1.1.5); a salvaged request has no method. */
    private static boolean cseqMismatch(SIPRequest request) {
        String method = request.getMethod();
        return method != null && request.getCSeq() != null && !method.equalsIgnoreCase(request.getCSeq().getMethod());
    }

    private void sendStateless(Response response, InetSocketAddress to) {
        try {
            send(((SIPMessage) response).encodeAsBytes("UDP"), to);
        } catch (IOException e) {
            LOG.debug("callId={} {} not sent: {}", LogText.of(SipNode.callIdOf(response)), response.getStatusCode(),
                    e.toString());
        }
    }

    /**
     * RFC 3261 §17.2.3: the branch (lower-cased, as {@link RawRequestHead} reads it) for a request that carries the
     * magic cookie, with the method when it is a CANCEL (which shares its branch with the request it cancels); for
     * an RFC 2543 request, Call-ID, CSeq and the top Via.
     */
    private static String serverKey(String branch, SIPRequest request) {
        if (branch != null && branch.regionMatches(true, 0, "z9hG4bK", 0, 7)) {
            String lower = branch.toLowerCase(Locale.ROOT);
            return SIPRequest.CANCEL.equals(request.getMethod()) ? lower + " CANCEL" : lower;
        }
        return "2543 " + SipNode.callIdOf(request) + " " + request.getCSeq() + " " + request.getTopmostVia();
    }

    private void responseReceived(SIPResponse response) {
        Via top = response.getTopmostVia();
        String branch = top == null ? null : top.getBranch();
        ClientTransaction tx = branch == null ? null : clients.get(branch);
        if (tx == null) {
            LOG.debug("callId={} stray response {} dropped", LogText.of(SipNode.callIdOf(response)),
                    response.getStatusCode());
            return;
        }
        if (response.getStatusCode() < 200) {
            tx.proceeding = true;
            return;
        }
        CompletableFuture<Response> result = tx.result;
        if (clients.remove(branch, tx) && result != null) {
            result.complete(response); // finishes the transaction (whenComplete above)
        }
    }

    // ---- sending ----

    /**
     * Sends a request in a new client transaction to {@code to}; {@code result} completes with the final response,
     * or {@code onTimeout} runs at Timer F. The request's top Via must carry this node's address and a fresh branch.
     *
     * @throws IOException when it cannot be sent at all (the caller answers 503)
     */
    void send(SIPRequest request, InetSocketAddress to, CompletableFuture<Response> result, Runnable onTimeout)
            throws IOException {
        String branch = request.getTopmostVia().getBranch();
        byte[] datagram = request.encodeAsBytes("UDP");
        ClientTransaction tx = new ClientTransaction(branch, datagram, to, result, onTimeout);
        clients.put(branch, tx);
        // however it ends (a response, Timer F, an early deadline of the node's): stop retransmitting, let go
        result.whenComplete((response, failure) -> {
            clients.remove(branch, tx);
            tx.finish();
        });
        retransmitTimers.get(0).add(tx);
        timeoutTimers.add(tx);
        try {
            send(datagram, to);
        } catch (IOException e) {
            clients.remove(branch, tx);
            tx.finish();
            throw e;
        }
    }

    private void send(byte[] datagram, InetSocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(datagram), to);
    }

    // ---- timers ----

    private void timerLoop() {
        while (channel.isOpen()) {
            long now = System.nanoTime();
            try {
                for (int level = 0; level < retransmitTimers.size(); level++) {
                    int next = Math.min(level + 1, retransmitTimers.size() - 1);
                    retransmitTimers.get(level).fire(now, tx -> retransmit(tx, next));
                }
                timeoutTimers.fire(now, this::timedOut);
                completedTimers.fire(now, server -> servers.remove(server.key, server));
                reportDrops(now);
            } catch (RuntimeException e) {
                LOG.warn("UDP {}:{} timer failed: {}", host, port, LogText.of(e.toString()));
            }
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** At most one WARN line every {@value #DROP_REPORT_SECONDS} s for requests and one for answers dropped unread. */
    private void reportDrops(long now) {
        if (now - nextDropReportNanos < 0) {
            return;
        }
        nextDropReportNanos = now + DROP_REPORT_SECONDS * 1_000_000_000L;
        long full = requests.droppedFull.getAndSet(0);
        long late = droppedWaitedTooLong.getAndSet(0);
        long answersDropped = answers.droppedFull.getAndSet(0);
        if (full + late > 0) {
            LOG.warn("UDP {}:{} dropped {} requests unread in the last {} s: {} found {} requests queued, {} waited "
                    + "longer than the queue timeout ({} ms); their senders retransmit them", host, port, full + late,
                    DROP_REPORT_SECONDS, full, REQUEST_QUEUE_LIMIT, late, queueTimeoutNanos / 1_000_000);
        }
        if (answersDropped > 0) {
            LOG.warn("UDP {}:{} dropped {} responses unread in the last {} s: each found {} responses queued (a flood "
                    + "of responses, forged or retransmitted)", host, port, answersDropped, DROP_REPORT_SECONDS,
                    ANSWER_QUEUE_LIMIT);
        }
    }

    /** Timer E: once more, then again at twice the interval up to T2 (at T2 once a provisional came). */
    private void retransmit(ClientTransaction tx, int nextLevel) {
        byte[] datagram = tx.datagram;
        if (datagram == null) {
            return; // finished
        }
        try {
            send(datagram, tx.to);
        } catch (IOException e) {
            LOG.debug("retransmission to {} failed: {}", tx.to, e.toString());
        }
        retransmitTimers.get(tx.proceeding ? retransmitTimers.size() - 1 : nextLevel).add(tx);
    }

    /** Timer F: no final response in 64*T1. */
    private void timedOut(ClientTransaction tx) {
        Runnable onTimeout = tx.onTimeout;
        if (onTimeout != null && clients.remove(tx.branch, tx)) {
            onTimeout.run(); // completes the future, which finishes the transaction
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("UDP {}:{} close: {}", host, port, e.toString());
        }
        threads.forEach(Thread::interrupt);
    }

    /** A request received, answered through it: its final response is kept for retransmissions until Timer J. */
    final class ServerTransaction {
        private final String key;
        private final InetSocketAddress replyTo;
        private volatile byte[] finalResponse;

        private ServerTransaction(String key, InetSocketAddress replyTo) {
            this.key = key;
            this.replyTo = replyTo;
        }

        void send(Response response) throws IOException {
            byte[] datagram = ((SIPMessage) response).encodeAsBytes("UDP");
            if (response.getStatusCode() >= 200) {
                finalResponse = datagram;
                completedTimers.add(this);
            }
            LeanUdpTransport.this.send(datagram, replyTo);
        }

        /** Forgets a request refused before any handling (a retransmission of it is then a new request). */
        void forget() {
            servers.remove(key, this);
        }

        private void retransmitted() {
            byte[] last = finalResponse;
            if (last != null) {
                try {
                    LeanUdpTransport.this.send(last, replyTo);
                } catch (IOException e) {
                    LOG.debug("final response to {} not sent again: {}", replyTo, e.toString());
                }
            }
        }
    }

    /**
     * A request sent, retransmitted until its final response comes or Timer F fires. Its timers stay queued after
     * it ends (up to 32 s for Timer F), so finishing drops what it holds: the request's bytes, its future (which
     * holds the response) and the timeout action (which holds the request).
     */
    private static final class ClientTransaction {
        final String branch;
        final InetSocketAddress to;
        volatile byte[] datagram;
        volatile CompletableFuture<Response> result;
        volatile Runnable onTimeout;
        volatile boolean proceeding;

        ClientTransaction(String branch, byte[] datagram, InetSocketAddress to, CompletableFuture<Response> result,
                          Runnable onTimeout) {
            this.branch = branch;
            this.datagram = datagram;
            this.to = to;
            this.result = result;
            this.onTimeout = onTimeout;
        }

        void finish() {
            datagram = null;
            result = null;
            onTimeout = null;
        }
    }
}
