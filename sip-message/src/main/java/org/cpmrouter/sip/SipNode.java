package org.cpmrouter.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.Hop;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.HopImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JAIN-SIP stack bound to one address, on UDP and/or TCP, and on TLS at a port of its own: the piece that both
 * the Camel component and the CPM client use. It hands requests to a {@link RequestHandler} with their server
 * transaction, and sends requests through client transactions whose final response completes a future (no thread
 * waits for it). Retransmissions and transaction timers are the stack's.
 *
 * <p>Requests the handler does not take are answered by {@link RequestSanityChecks} (drain refusal, 400/505 for
 * what {@link RequestScreeningParser} found malformed, 416, OPTIONS, 481 to CANCEL, 405, 483, in that order); a
 * stray {@code ACK} is dropped. The stack itself (properties, listening points, free ports) is
 * {@link SipStackBuilder}'s. While the node's
 * {@link OverloadGuard} is full, a new request the handler would take is answered {@code 503} with
 * {@code Retry-After} ({@link #setOverloadGuard}), over UDP before it is even parsed ({@link EarlyRefusal}).
 *
 * <p>UDP is carried either by the stack or, with {@link SipNodeConfig.UdpPath#LEAN}, by the node's own
 * {@link LeanUdpTransport} (socket, reader and handler threads, non-INVITE transactions), with the same messages,
 * checks and handler; TCP and TLS are always the stack's.
 */
public final class SipNode implements AutoCloseable {

    /** Receives the requests a node accepts; must not block (answer later through {@link IncomingRequest}). */
    @FunctionalInterface
    public interface RequestHandler {
        void onRequest(IncomingRequest request);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SipNode.class);
    /** Default for {@code gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT}; stack properties of the config override it. */
    public static final int DEFAULT_QUEUE_TIMEOUT_MS = 2000;
    /** What every branch this node makes starts with; see {@link #newBranch}. */
    private static final String BRANCH_PREFIX = gov.nist.javax.sip.SIPConstants.BRANCH_MAGIC_COOKIE + "-"
            + gov.nist.javax.sip.Utils.getSignature() + "-";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Marks the responses {@link #send} makes itself. */
    private static final Object LOCALLY_MADE = new Object();

    private final SipNodeConfig config;
    private final SipStack stack;
    private final SipProvider provider;
    private final MessageFactory messageFactory;
    private final HeaderFactory headerFactory;
    private final AddressFactory addressFactory;
    private final int port;
    /** Port of the TLS listening point; -1 without one. */
    private final int tlsPort;
    private final RequestSanityChecks checks;
    private final ClientTransactionTimer transactionTimer;
    private final EarlyRefusal earlyRefusal;
    /** The lean UDP path; null when the stack carries UDP. */
    private final LeanUdpTransport udp;
    private volatile RequestHandler handler;
    private volatile OverloadGuard overload = OverloadGuard.off();
    private volatile SourceScreen screen = SourceScreen.NONE;
    private volatile SipTrafficListener traffic = SipTrafficListener.NONE;

    private SipNode(SipStackBuilder.Opened opened) throws javax.sip.PeerUnavailableException, java.io.IOException {
        this.config = opened.config();
        this.stack = opened.stack();
        this.provider = opened.provider();
        this.messageFactory = opened.factory().createMessageFactory();
        this.headerFactory = opened.factory().createHeaderFactory();
        this.addressFactory = opened.factory().createAddressFactory();
        this.port = opened.port();
        this.tlsPort = opened.tlsPort();
        this.checks = new RequestSanityChecks(config.allowedMethods());
        this.transactionTimer = new ClientTransactionTimer("sip-transaction-timer-" + port);
        this.earlyRefusal = new EarlyRefusal(this::overloadGuard, this::sourceScreen, this::trafficListener,
                config.allowedMethods());
        // last: its threads start with every field above set
        this.udp = config.leanUdp() && opened.stack() instanceof SIPTransactionStack ri
                ? LeanUdpTransport.open(config.host(), port, config.threadPoolSize(),
                        new RequestScreeningParserFactory().createMessageParser(ri),
                        RequestScreeningParserFactory.datagramLimit(ri), queueTimeoutMs(config), earlyRefusal,
                        this::trafficListener, this::receivedOverLeanUdp)
                : null;
    }

    /**
     * Starts a stack bound to the configured address. The handler may be set later with {@link #setHandler}.
     * Port 0 picks a port that is free on every configured transport (the RI cannot bind port 0 itself).
     */
    public static SipNode start(SipNodeConfig config) throws SipException {
        return SipStackBuilder.start(config, opened -> {
            SipNode node = new SipNode(opened);
            opened.provider().addSipListener(node.new Listener());
            EarlyRefusalParserFactory.register(opened.stack(), node.earlyRefusal);
            if (config.tls() != null && opened.stack() instanceof gov.nist.javax.sip.SipStackImpl ri) {
                // every outgoing TLS connection: the certificate must name the next hop's host (RFC 5922); a
                // refused one fails its request at once (the stack would only time it out)
                ri.setTlsSecurityPolicy(new TlsHostNameVerification(config.tls().unverifiedHops(),
                        tx -> node.failUnverifiedTls(tx)));
            }
            return node;
        });
    }

    public void setHandler(RequestHandler handler) {
        this.handler = handler;
    }

    /**
     * From now on every new request, OPTIONS included, is answered with this status before any other check (a
     * router that drains before it stops: 503 with Retry-After). Transactions already under way go on: their
     * retransmissions are absorbed and their responses still go out.
     */
    public void refuseNewRequests(int status, String reason, List<String> headers) {
        checks.refuseNewRequests(status, reason, headers);
    }

    /** Whether every new request gets the answer of {@link #refuseNewRequests} (the application drains). */
    public boolean refusesNewRequests() {
        return checks.refusingNewRequests();
    }

    /**
     * Sheds load with {@code guard}: a new request of a method the handler takes, arriving while the guard is full,
     * is answered {@code 503 Service Unavailable} with {@code Retry-After} at once and statelessly, before a server
     * transaction or the handler costs anything. Retransmissions of a request being handled never get this far
     * (its server transaction absorbs them), and responses are never refused.
     */
    public void setOverloadGuard(OverloadGuard guard) {
        this.overload = java.util.Objects.requireNonNull(guard, "guard");
    }

    public OverloadGuard overloadGuard() {
        return overload;
    }

    /**
     * Screens every new request by its source address ({@link SourceScreen}) before anything else is spent on it:
     * over UDP before it is parsed, over TCP and TLS before a transaction is made. A refused request is answered
     * statelessly with the screen's status; a refused ACK is dropped.
     */
    public void setSourceScreen(SourceScreen sourceScreen) {
        this.screen = java.util.Objects.requireNonNull(sourceScreen, "sourceScreen");
    }

    public SourceScreen sourceScreen() {
        return screen;
    }

    /** Tells {@code listener} about this node's traffic from now on (for metrics); {@link SipTrafficListener#NONE}: nobody. */
    public void setTrafficListener(SipTrafficListener listener) {
        this.traffic = java.util.Objects.requireNonNull(listener, "listener");
    }

    public SipTrafficListener trafficListener() {
        return traffic;
    }

    public String host() {
        return config.host();
    }

    public int port() {
        return port;
    }

    /** Port of the TLS listening point, or -1 when the node has none. */
    public int tlsPort() {
        return tlsPort;
    }

    /**
     * Whether the stack runs and has a listening point for every transport this node was configured with (what a
     * readiness check asks).
     */
    public boolean isListening() {
        if (stack instanceof SIPTransactionStack s && !s.isAlive()) {
            return false;
        }
        for (String transport : config.transports()) {
            if (udp != null && transport.equals("udp")) {
                if (!udp.isOpen()) {
                    return false;
                }
            } else if (provider.getListeningPoint(transport) == null) {
                return false;
            }
        }
        return true;
    }

    /** Whether host:port is one of this node's listening points. */
    public boolean listensOn(String host, int somePort) {
        return config.host().equalsIgnoreCase(host) && (somePort == port || (tlsPort > 0 && somePort == tlsPort));
    }

    public List<String> transports() {
        return config.transports();
    }

    /** Sends a response outside any transaction (for requests the stack made none for). */
    void sendStateless(Response response) throws SipException {
        provider.sendResponse(response);
    }

    public MessageFactory messageFactory() {
        return messageFactory;
    }

    public HeaderFactory headerFactory() {
        return headerFactory;
    }

    public AddressFactory addressFactory() {
        return addressFactory;
    }

    /** A fresh tag for From or To. */
    public String newTag() {
        return randomTag();
    }

    /** A fresh tag for From or To, also for answers made before any node handles the request. */
    static String randomTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** A fresh, globally unique Call-ID. */
    public String newCallId() {
        return UUID.randomUUID() + "@" + config.host();
    }

    /** A Via for this node on the given transport; {@link #send} gives it a fresh branch. */
    public ViaHeader newVia(String transport) throws java.text.ParseException, javax.sip.InvalidArgumentException {
        String t = transport == null ? config.transports().get(0) : transport;
        return headerFactory.createViaHeader(config.host(), "tls".equalsIgnoreCase(t) ? tlsPort : port, t, null);
    }

    /**
     * A branch for a new client transaction: the RFC 3261 magic cookie, the RI's signature (so the stack still
     * knows the responses as its own when it is told to reject stray ones) and 128 random bits. The RI makes its
     * own with an MD5 digest of a random number, which costs more and is no less guessable.
     */
    public static String newBranch() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] text = new char[BRANCH_PREFIX.length() + 32];
        BRANCH_PREFIX.getChars(0, BRANCH_PREFIX.length(), text, 0);
        putHex(random.nextLong(), text, BRANCH_PREFIX.length());
        putHex(random.nextLong(), text, BRANCH_PREFIX.length() + 16);
        return new String(text);
    }

    private static void putHex(long value, char[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    public MaxForwardsHeader newMaxForwards(int value) throws javax.sip.InvalidArgumentException {
        return headerFactory.createMaxForwardsHeader(value);
    }

    /**
     * Parses one header line ({@code "Allow: MESSAGE, OPTIONS"}) into headers; a comma list of a header that the
     * stack keeps as singletons becomes several headers.
     */
    @SuppressWarnings("unchecked")
    public List<javax.sip.header.Header> parseHeaderLine(String line) throws java.text.ParseException {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new java.text.ParseException("not a header line: " + line, 0);
        }
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        try {
            return List.of(headerFactory.createHeader(name, value));
        } catch (java.text.ParseException singletonsOnly) {
            // "Allow: MESSAGE, OPTIONS": the RI keeps some headers as one entry per value
            return (List<javax.sip.header.Header>) ((gov.nist.javax.sip.header.HeaderFactoryImpl) headerFactory)
                    .createHeaders(name + ": " + value);
        }
    }

    /** A next hop to send a request to, regardless of its Request-URI. */
    public static Hop hop(String host, int port, String transport) {
        return new HopImpl(host, port, transport == null ? "udp" : transport);
    }

    /**
     * Sends a request in a new client transaction.
     *
     * @param hop where to send it; {@code null} routes by the request's Route or Request-URI
     * @return completes with the final response; a transaction timeout completes with a locally made
     *     {@code 408}, a transport failure with {@code 503} (RFC 3261 sections 8.1.3.1 and 8.1.2)
     */
    public CompletableFuture<Response> send(Request request, Hop hop) {
        return send(request, hop, 0);
    }

    /**
     * Sends a request in a new client transaction that ends early when no final response has come in
     * {@code timeoutMs}: the future then completes with a locally made {@code 408} and the transaction stops
     * retransmitting. 0, or a timeout not shorter than the stack's Timer F (32 s), leaves it to Timer F.
     */
    public CompletableFuture<Response> send(Request request, Hop hop, long timeoutMs) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        if (hop != null && "tls".equalsIgnoreCase(hop.getTransport()) && tlsPort < 0) {
            LOG.warn("callId={} cannot send over TLS to {}:{}: this node has no TLS listening point (no key store "
                    + "or trust store configured); answering 503", LogText.of(callIdOf(request)), LogText.of(hop.getHost()),
                    hop.getPort());
            completeLocally(result, request, 503, "Service Unavailable");
            return result;
        }
        if (hop != null) {
            ((SIPRequest) request).setApplicationData(hop);
        }
        SipTrafficListener listener = traffic;
        listener.clientTransactionStarted();
        result.whenComplete((response, failure) -> listener.clientTransactionEnded());
        Runnable earlyDeadline = () -> {
            LOG.info("callId={} no final response in {} ms; answering 408 locally", LogText.of(callIdOf(request)),
                    timeoutMs);
            completeLocally(result, request, 408, "Request Timeout");
        };
        try {
            giveBranch(request);
            java.net.InetSocketAddress leanHop = udp == null ? null : overLeanUdp(request, hop);
            if (leanHop != null) {
                udp.send((SIPRequest) request, leanHop, result, () -> {
                    LOG.debug("callId={} no final response before the transaction timer",
                            LogText.of(callIdOf(request)));
                    completeLocally(result, request, 408, "Request Timeout");
                });
                transactionTimer.watch(result, timeoutMs, earlyDeadline);
                return result;
            }
            ClientTransaction tx = provider.getNewClientTransaction(request);
            tx.setApplicationData(result);
            tx.sendRequest();
            transactionTimer.watch(tx, result, timeoutMs, earlyDeadline);
        } catch (SipException | java.text.ParseException | java.io.IOException | RuntimeException e) {
            LOG.info("callId={} could not send to {}: {}; answering 503 locally", LogText.of(callIdOf(request)),
                    hop == null ? "its Request-URI"
                            : LogText.of(hop.getHost() + ":" + hop.getPort() + "/" + hop.getTransport()),
                    LogText.of(e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")));
            completeLocally(result, request, 503, "Service Unavailable");
        }
        return result;
    }

    /**
     * Where a request goes over the lean UDP path: its hop, or the stack's router's choice by Route and
     * Request-URI, when that hop is UDP; null when the stack sends it (TCP, TLS).
     */
    private java.net.InetSocketAddress overLeanUdp(Request request, Hop hop) throws SipException, java.io.IOException {
        Hop next = hop != null ? hop : stack.getRouter().getNextHop(request);
        if (next == null || !"udp".equalsIgnoreCase(next.getTransport())) {
            return null;
        }
        java.net.InetSocketAddress to = new java.net.InetSocketAddress(next.getHost(), next.getPort());
        if (to.isUnresolved()) {
            throw new java.io.IOException("cannot resolve " + next.getHost());
        }
        return to;
    }

    /**
     * Puts a fresh branch ({@link #newBranch}) in the top Via when it has none that starts with the magic cookie,
     * the case in which the provider would digest one of its own; a branch the caller set is kept, as the provider
     * keeps it. A request sent again must have been cloned before it was first sent (as the CPM client does).
     */
    private static void giveBranch(Request request) throws java.text.ParseException {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (via != null && (via.getBranch() == null
                || !via.getBranch().startsWith(gov.nist.javax.sip.SIPConstants.BRANCH_MAGIC_COOKIE))) {
            via.setBranch(newBranch());
        }
    }

    /** A request whose TLS connection was refused for its peer's host name: 503 to its sender, now. */
    @SuppressWarnings("unchecked")
    private void failUnverifiedTls(ClientTransaction tx) {
        if (tx != null && tx.getApplicationData() instanceof CompletableFuture<?> future) {
            completeLocally((CompletableFuture<Response>) future, tx.getRequest(), 503, "TLS Peer Not Verified");
        }
    }

    private void completeLocally(CompletableFuture<Response> future, Request request, int status, String reason) {
        if (future.isDone()) {
            return;
        }
        if (request == null) {
            // the stack released the request of a finished transaction (RELEASE_REFERENCES_STRATEGY)
            future.completeExceptionally(new SipException("transaction ended without a final response"));
            return;
        }
        try {
            Response response = messageFactory.createResponse(status, request);
            response.setReasonPhrase(reason);
            ((SIPMessage) response).setApplicationData(LOCALLY_MADE);
            future.complete(response);
        } catch (Exception e) {
            future.completeExceptionally(e);
        }
    }

    /**
     * The stack's receive-queue timeout ({@code CONGESTION_CONTROL_TIMEOUT}), which the lean UDP path keeps too; 0 or
     * less is none, as for the stack.
     */
    private static long queueTimeoutMs(SipNodeConfig config) {
        String value = config.stackProperties().getProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT");
        try {
            return value == null ? DEFAULT_QUEUE_TIMEOUT_MS : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return DEFAULT_QUEUE_TIMEOUT_MS;
        }
    }

    /**
     * Whether a response from {@link #send} was made here because the next hop did not answer (a transaction
     * timeout: 408; a transport failure: 503) rather than received from it.
     */
    public static boolean isLocallyMade(Response response) {
        return response instanceof SIPMessage && ((SIPMessage) response).getApplicationData() == LOCALLY_MADE;
    }

    static String callIdOf(javax.sip.message.Message message) {
        CallIdHeader h = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return h == null ? "-" : h.getCallId();
    }

    @Override
    public void close() {
        transactionTimer.close();
        if (udp != null) {
            udp.close();
        }
        EarlyRefusalParserFactory.unregister(stack);
        try {
            stack.stop();
        } catch (RuntimeException e) {
            LOG.warn("error stopping SIP node {}:{}: {}", config.host(), port, e.toString());
        }
        LOG.info("SIP node on {}:{} stopped", config.host(), port);
    }

    /**
     * A new request from the lean UDP transport (screened, parsed, not a retransmission): the same admission,
     * checks and handler as a request the stack hands over, answered through the transport's server transaction.
     */
    private void receivedOverLeanUdp(SIPRequest request, LeanUdpTransport.ServerTransaction server, String peer,
                                     int peerPort) {
        SipTrafficListener listener = traffic;
        OverloadGuard guard = null;
        if (request.getMethod() != null && config.allowedMethods().contains(request.getMethod())) {
            guard = overload;
            if (!guard.tryAdmit()) {
                server.forget(); // refused, not handled: a retransmission is judged again
                refuseOverloaded(request, guard, listener, server::send);
                return;
            }
        }
        dispatch(request, server::send, peer, peerPort, "udp", guard, listener);
    }

    /** Hands an admitted request to the checks, then to the handler; whatever goes wrong still gets an answer. */
    private void dispatch(Request request, IncomingRequest.ResponseSender sender, String remote, int remotePort,
                          String transport, OverloadGuard guard, SipTrafficListener listener) {
        listener.requestReceived(request.getMethod());
        IncomingRequest in = new IncomingRequest(this, request, sender, remote, remotePort, transport, guard,
                listener);
        try {
            if (checks.answered(in)) {
                return;
            }
            RequestHandler h = handler;
            if (h == null) {
                in.respond(503, "No Consumer", List.of());
                return;
            }
            h.onRequest(in);
        } catch (RuntimeException e) {
            LOG.error("callId={} request handler failed", LogText.of(in.callId()), e);
            in.respond(500);
        }
    }

    /** 503 with Retry-After, sent without a transaction: a refusal must cost less than the work it saves. */
    private void refuseOverloaded(Request request, OverloadGuard guard, SipTrafficListener listener,
                                  IncomingRequest.ResponseSender sender) {
        listener.requestReceived(request.getMethod());
        listener.requestRefused(SipTrafficListener.Refusal.OVERLOAD);
        guard.refused(callIdOf(request));
        refuseStatelessly(request, Response.SERVICE_UNAVAILABLE, null, guard.retryAfterSeconds(), listener, sender);
    }

    /** A refusal sent without a transaction of the stack's; {@code reason} null: the standard phrase. */
    private void refuseStatelessly(Request request, int status, String reason, Integer retryAfterSeconds,
                                   SipTrafficListener listener, IncomingRequest.ResponseSender sender) {
        try {
            Response response = messageFactory.createResponse(status, request);
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(newTag());
            if (retryAfterSeconds != null) {
                response.addHeader(headerFactory.createRetryAfterHeader(retryAfterSeconds));
            }
            sender.send(response);
            listener.responseSent(status);
        } catch (Exception e) {
            LOG.debug("callId={} could not send {}: {}", LogText.of(callIdOf(request)), status,
                    LogText.of(e.toString()));
        }
    }

    private final class Listener implements SipListener {

        @Override
        public void processRequest(RequestEvent event) {
            Request request = event.getRequest();
            String method = request.getMethod();
            if (Request.ACK.equals(method)) {
                return;
            }
            ServerTransaction tx = event.getServerTransaction();
            SipTrafficListener listener = traffic;
            SIPMessage sip = (SIPMessage) request;
            String remote = sip.getPeerPacketSourceAddress() != null
                    ? sip.getPeerPacketSourceAddress().getHostAddress()
                    : (sip.getRemoteAddress() == null ? "" : sip.getRemoteAddress().getHostAddress());
            int remotePort = sip.getPeerPacketSourcePort() > 0 ? sip.getPeerPacketSourcePort() : sip.getRemotePort();
            String transport = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport().toLowerCase();
            // UDP requests were screened before they were parsed (EarlyRefusalParserFactory)
            if (tx == null && !"udp".equals(transport)) {
                SourceScreen.Refusal refusal = screen.screen(remote);
                if (refusal != null) {
                    listener.requestReceived(method);
                    listener.requestRefused(SipTrafficListener.Refusal.BANNED);
                    refuseStatelessly(request, refusal.status(), refusal.reason(), null, listener,
                            SipNode.this::sendStateless);
                    return;
                }
            }
            OverloadGuard guard = null;
            if (tx == null && config.allowedMethods().contains(method)) {
                guard = overload;
                if (!guard.tryAdmit()) {
                    refuseOverloaded(request, guard, listener, SipNode.this::sendStateless);
                    return;
                }
            }
            try {
                if (tx == null) {
                    tx = provider.getNewServerTransaction(request);
                }
            } catch (TransactionAlreadyExistsException e) {
                if (guard != null) {
                    guard.release();
                }
                return; // a retransmission: the existing transaction answers it
            } catch (Exception e) {
                // the stack will not make a transaction of it (for example a SUBSCRIBE without Contact):
                // it still gets an answer, sent statelessly
                LOG.debug("callId={} no server transaction for {}: {}", LogText.of(callIdOf(request)),
                        LogText.of(method), LogText.of(e.toString()));
                tx = null;
            }
            dispatch(request, tx == null ? null : tx::sendResponse, remote, remotePort, transport, guard, listener);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void processResponse(ResponseEvent event) {
            Response response = event.getResponse();
            if (response.getStatusCode() < 200) {
                return;
            }
            ClientTransaction tx = event.getClientTransaction();
            if (tx != null && tx.getApplicationData() instanceof CompletableFuture) {
                ((CompletableFuture<Response>) tx.getApplicationData()).complete(response);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void processTimeout(TimeoutEvent event) {
            if (!event.isServerTransaction()) {
                ClientTransaction tx = event.getClientTransaction();
                if (tx.getApplicationData() instanceof CompletableFuture) {
                    LOG.debug("callId={} no final response before the transaction timer",
                            LogText.of(callIdOf(tx.getRequest())));
                    completeLocally((CompletableFuture<Response>) tx.getApplicationData(), tx.getRequest(),
                            408, "Request Timeout");
                }
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void processIOException(IOExceptionEvent event) {
            Object source = event.getSource();
            if (source instanceof ClientTransaction) {
                ClientTransaction tx = (ClientTransaction) source;
                if (tx.getApplicationData() instanceof CompletableFuture) {
                    completeLocally((CompletableFuture<Response>) tx.getApplicationData(), tx.getRequest(),
                            503, "Service Unavailable");
                }
            } else {
                LOG.debug("I/O error towards {}:{}/{}", LogText.of(event.getHost()), event.getPort(), event.getTransport());
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
            if (!event.isServerTransaction()) {
                ClientTransaction tx = event.getClientTransaction();
                if (tx.getApplicationData() instanceof CompletableFuture) {
                    // safety net: a transaction that ends without a final response never leaves its caller hanging
                    completeLocally((CompletableFuture<Response>) tx.getApplicationData(), tx.getRequest(),
                            408, "Request Timeout");
                }
            }
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
            // no dialogs: MESSAGE is dialog-less here
        }
    }

    /** Header values of a name, in order, as text. */
    public static List<String> headerValues(javax.sip.message.Message message, String name) {
        List<String> values = new ArrayList<>();
        java.util.ListIterator<?> it = message.getHeaders(name);
        while (it != null && it.hasNext()) {
            values.add(headerValue(it.next()));
        }
        return values.isEmpty() ? Collections.emptyList() : values;
    }

    /** The value part of a header, as it would be written on the wire. */
    public static String headerValue(Object header) {
        if (header instanceof gov.nist.javax.sip.header.SIPHeader) {
            return ((gov.nist.javax.sip.header.SIPHeader) header).getHeaderValue().trim();
        }
        String text = header.toString();
        int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(colon + 1)).trim();
    }
}
