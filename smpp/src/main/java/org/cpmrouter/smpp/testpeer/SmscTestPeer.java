package org.cpmrouter.smpp.testpeer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.cpmrouter.smpp.SmppStatus;
import org.cpmrouter.smpp.SmsAddress;
import org.cpmrouter.smpp.SmsText;
import org.cpmrouter.smpp.UserDataHeader;
import org.jsmpp.PDUStringException;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.EnquireLink;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small SMSC for tests and demos, on jSMPP's server side. <b>A test peer, not a production SMSC</b>: it keeps
 * nothing, retries nothing and listens only on the address it is given (127.0.0.1 by default).
 *
 * <p>Two kinds of client bind to it:
 * <ul>
 * <li>the <b>application</b> (the router's SMPP link), with the configured system_id and password; a wrong
 * password is refused with ESME_RINVPASWD, an unknown system_id with ESME_RINVSYSID;</li>
 * <li><b>handset simulators</b>: system_id {@value #HANDSET_SYSTEM_ID}, any password, and the handset's number
 * ({@code +15559990000} or {@code 15559990000}) as address_range.</li>
 * </ul>
 *
 * <p>What it does with traffic:
 * <ul>
 * <li>each submit_sm from the application is recorded ({@link #submitted()}), answered with a new message_id,
 * and also delivered as deliver_sm to a handset bound with the destination number (mobile-terminated);</li>
 * <li>each submit_sm from a handset becomes a deliver_sm to the application, from the handset's number; the
 * application's deliver_sm_resp status is the handset's submit_sm_resp status (mobile-originated). The deliver_sm
 * carries the peer's own id for it in receipted_message_id, so that both logs name the same id;</li>
 * <li>{@link #injectMobileOriginated} does the same from Java, without a handset;</li>
 * <li>{@link #sendDeliveryReceipt} sends the application the delivery receipt of one of its submit_sm.</li>
 * </ul>
 *
 * <p>Faults for tests: {@link #refuseSubmissionsWith}, {@link #holdSubmissions}, and {@link #close} then
 * {@link #start} on the same port for an SMSC that goes down and comes back.
 */
public final class SmscTestPeer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmscTestPeer.class);

    /** The system_id a handset simulator binds with. */
    public static final String HANDSET_SYSTEM_ID = "handset";
    /** The system_id the peer gives in its bind responses. */
    public static final String SMSC_SYSTEM_ID = "cpm-smsc-test";
    /** esm_class of an SMSC delivery receipt (SMPP 3.4 section 5.2.12). */
    private static final int ESM_SMSC_DELIVERY_RECEIPT = 0x04;
    /** How long a bind may take after connecting. */
    private static final long BIND_WAIT_MS = 5_000;
    /** How long the peer waits for a deliver_sm_resp; the application's handler may block for a while. */
    private static final long DELIVER_TIMEOUT_MS = 10_000;

    private final String host;
    private final String systemId;
    private final String password;
    private final PeerListener listener;
    private final Thread acceptor;
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("smsc-peer"));
    /** Every open connection, bound or not, so that close() drops them all. */
    private final Set<SMPPServerSession> connections = ConcurrentHashMap.newKeySet();
    private final Map<SMPPServerSession, Client> clients = new ConcurrentHashMap<>();
    private final Journal<SubmittedSms> submitted = new Journal<>("submit_sm");
    private final Journal<BindAttempt> binds = new Journal<>("bind");
    /** The system_id (or handset number) of each client that sent enquire_link, once per enquire_link. */
    private final Journal<String> enquireLinks = new Journal<>("enquire_link");
    private final List<Consumer<SubmittedSms>> submitObservers = new CopyOnWriteArrayList<>();
    private final List<Consumer<Relayed>> relayObservers = new CopyOnWriteArrayList<>();
    private final List<Consumer<BindAttempt>> bindObservers = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextMessageId = new AtomicInteger((int) (System.nanoTime() & 0xFFFFFF) << 4);
    private final Journal<String> held = new Journal<>("held submit_sm");
    private volatile int refuseStatus;
    private volatile boolean holding;
    private volatile boolean closed;

    /** Who is bound on a session: the application, or the handset with this number ({@code +} and digits). */
    private record Client(boolean application, String number, BindType bindType) {
    }

    /**
     * An SMS a handset sent, as relayed to the application.
     *
     * @param from          the handset's number
     * @param to            the destination it gave
     * @param text          the decoded text of this part (a test tool may show it)
     * @param part          this part's number (1 for a single SMS)
     * @param parts         how many parts its message has
     * @param commandStatus the application's deliver_sm_resp status, passed back to the handset
     */
    public record Relayed(String from, String to, String text, int part, int parts, int commandStatus) {
    }

    private SmscTestPeer(String host, String systemId, String password, PeerListener listener) {
        this.host = host;
        this.systemId = systemId;
        this.password = password;
        this.listener = listener;
        this.acceptor = new Thread(this::acceptLoop, "smsc-peer-accept-" + listener.localPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * Starts a test SMSC on {@code host} (use 127.0.0.1) and {@code port} (0 for any free port, see
     * {@link #port()}) that takes the application bind {@code systemId}/{@code password}.
     */
    public static SmscTestPeer start(String host, int port, String systemId, String password) throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(systemId, "systemId");
        PeerListener listener = PeerListener.listen(host, port);
        SmscTestPeer peer = new SmscTestPeer(host, systemId, password == null ? "" : password, listener);
        listener.setMessageReceiverListener(peer.new Receiver());
        listener.setSessionStateListener(peer::sessionStateChanged);
        listener.setPduProcessorDegree(8);
        peer.acceptor.start();
        LOG.info("SMSC test peer listening on {}:{} (application system_id {}, handsets bind as '{}')", host,
                peer.port(), systemId, HANDSET_SYSTEM_ID);
        return peer;
    }

    public String host() {
        return host;
    }

    public int port() {
        return listener.localPort();
    }

    /** Every submit_sm the application sent so far that the peer accepted, one entry per part. */
    public List<SubmittedSms> submitted() {
        return submitted.snapshot();
    }

    /** The first accepted submit_sm, already here or still to come, that matches. */
    public SubmittedSms awaitSubmitted(Predicate<SubmittedSms> matching, long timeoutMs)
            throws InterruptedException, TimeoutException {
        return submitted.await(matching, timeoutMs);
    }

    /** Waits until {@code count} accepted submit_sm match, and returns them in arrival order. */
    public List<SubmittedSms> awaitSubmitted(Predicate<SubmittedSms> matching, int count, long timeoutMs)
            throws InterruptedException, TimeoutException {
        return submitted.awaitCount(matching, count, timeoutMs);
    }

    /** The complete texts sent to {@code destination}, concatenated parts joined, in order of first part. */
    public List<String> reassembledTexts(String destination) {
        Map<String, String[]> messages = new LinkedHashMap<>();
        for (SubmittedSms part : submitted.snapshot()) {
            if (!part.destination().equals(destination)) {
                continue;
            }
            String key = part.concatenated() ? part.source() + "|" + part.concatReference() + "|"
                    + part.concatTotal() : part.messageId();
            String[] parts = messages.computeIfAbsent(key, k -> new String[part.concatTotal()]);
            parts[part.concatSequence() - 1] = part.text();
        }
        List<String> texts = new ArrayList<>();
        for (String[] parts : messages.values()) {
            if (List.of(parts).stream().allMatch(Objects::nonNull)) {
                texts.add(String.join("", parts));
            }
        }
        return texts;
    }

    /** Every bind answered so far. */
    public List<BindAttempt> bindAttempts() {
        return binds.snapshot();
    }

    /** The first bind, already answered or still to come, that matches. */
    public BindAttempt awaitBind(Predicate<BindAttempt> matching, long timeoutMs)
            throws InterruptedException, TimeoutException {
        return binds.await(matching, timeoutMs);
    }

    /** Waits until {@code count} answered binds match, and returns them in order. */
    public List<BindAttempt> awaitBinds(Predicate<BindAttempt> matching, int count, long timeoutMs)
            throws InterruptedException, TimeoutException {
        return binds.awaitCount(matching, count, timeoutMs);
    }

    /** Waits until {@code count} enquire_link have come from the application. */
    public void awaitApplicationEnquireLinks(int count, long timeoutMs) throws InterruptedException, TimeoutException {
        enquireLinks.awaitCount(systemId::equals, count, timeoutMs);
    }

    /** True when an application session that can take deliver_sm is bound. */
    public boolean isApplicationBound() {
        return applicationReceiver() != null;
    }

    /** Answers every application submit_sm with this command_status from now on; 0 accepts again. */
    public void refuseSubmissionsWith(int commandStatus) {
        refuseStatus = commandStatus;
        LOG.info("SMSC test peer {} application submissions{}", commandStatus == 0 ? "accepts" : "refuses",
                commandStatus == 0 ? "" : " with " + SmppStatus.describe(commandStatus));
    }

    /** While true, application submit_sm get no response at all (an SMSC that stopped answering). */
    public void holdSubmissions(boolean hold) {
        holding = hold;
        LOG.info("SMSC test peer {} application submissions", hold ? "holds (never answers)" : "answers");
    }

    /** How many submit_sm were held without an answer. */
    public int heldSubmissions() {
        return held.snapshot().size();
    }

    /** Waits until {@code count} submit_sm have been held without an answer. */
    public void awaitHeld(int count, long timeoutMs) throws InterruptedException, TimeoutException {
        held.awaitCount(id -> true, count, timeoutMs);
    }

    /** Calls {@code observer} for each application submit_sm the peer accepts (the command line prints them). */
    public void onSubmitted(Consumer<SubmittedSms> observer) {
        submitObservers.add(observer);
    }

    /** Calls {@code observer} for each bind the peer answers. */
    public void onBind(Consumer<BindAttempt> observer) {
        bindObservers.add(observer);
    }

    /** Calls {@code observer} for each handset SMS part relayed to the application. */
    public void onRelayed(Consumer<Relayed> observer) {
        relayObservers.add(observer);
    }

    /**
     * Delivers a mobile-originated SMS from {@code from} to the bound application as deliver_sm, in parts with a
     * concatenation header when the text needs them, and returns the application's deliver_sm_resp command_status
     * (that of the first part it did not accept, or 0).
     *
     * @throws IllegalStateException when no application is bound, or it does not answer in time
     */
    public int injectMobileOriginated(String from, String to, String text) throws InterruptedException {
        SMPPServerSession application = applicationReceiver();
        if (application == null) {
            throw new IllegalStateException("no application is bound to the SMSC test peer on " + host + ":" + port()
                    + " to take an MO SMS");
        }
        SmsAddress source = SmsAddress.parseSource(from);
        SmsAddress destination = SmsAddress.parseDestination(to);
        SmsText.Split split = SmsText.split(text);
        int total = split.segments().size();
        int reference = nextMessageId.get() & 0xFF;
        for (int part = 1; part <= total; part++) {
            byte[] payload = SmsText.encode(split.segments().get(part - 1), split.encoding());
            byte[] shortMessage = total == 1 ? payload : UserDataHeader.withConcat(reference, total, part, payload);
            int esmClass = total == 1 ? 0 : UserDataHeader.ESM_CLASS_UDHI;
            String moId = newMessageId();
            int status;
            try {
                status = Deliveries.deliver(application, source, destination, esmClass,
                        split.encoding().dataCoding(), shortMessage, moId);
            } catch (IOException e) {
                throw new IllegalStateException("MO SMS " + from + " -> " + to + " part " + part + " of " + total
                        + " not delivered to the application: " + e.getMessage(), e);
            }
            LOG.info("MO SMS {} -> {} part {}/{} (id {}) injected: application answered {}", from, to, part, total,
                    moId, SmppStatus.describe(status));
            if (status != 0) {
                return status;
            }
        }
        return 0;
    }

    /**
     * Sends the bound application an SMSC delivery receipt (deliver_sm with esm_class 0x04) for one submit_sm it
     * accepted, as an SMSC does once the handset took the SMS or it gave up: from the handset's number to the
     * sender's, with receipted_message_id (the submit_sm's message_id), message_state, and the receipt text of SMPP
     * 3.4 appendix B ({@code stat:DELIVRD} or {@code stat:UNDELIV}). Returns the application's deliver_sm_resp
     * command_status.
     *
     * @throws IllegalStateException when no application is bound, or it does not answer in time
     */
    public int sendDeliveryReceipt(SubmittedSms part, boolean delivered) {
        SMPPServerSession application = applicationReceiver();
        if (application == null) {
            throw new IllegalStateException("no application is bound to the SMSC test peer on " + host + ":" + port()
                    + " to take a delivery receipt");
        }
        DeliveryReceiptState state = delivered ? DeliveryReceiptState.DELIVRD : DeliveryReceiptState.UNDELIV;
        java.util.Date now = new java.util.Date();
        String text = part.text().length() > 20 ? part.text().substring(0, 20) : part.text();
        String receipt = new DeliveryReceipt(part.messageId(), 1, delivered ? 1 : 0, now, now, state,
                delivered ? "000" : "001", text).toString();
        int status;
        try {
            status = Deliveries.deliver(application, SmsAddress.parseSource(part.destination()),
                    SmsAddress.parseDestination(part.source()), ESM_SMSC_DELIVERY_RECEIPT, 0,
                    receipt.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    new OptionalParameter.Receipted_message_id(part.messageId()),
                    new OptionalParameter.Message_state((delivered ? MessageState.DELIVERED
                            : MessageState.UNDELIVERABLE).value()));
        } catch (IOException e) {
            throw new IllegalStateException("delivery receipt for " + part.messageId()
                    + " not delivered to the application: " + e.getMessage(), e);
        }
        LOG.info("delivery receipt {} for id {} ({} -> {}) sent: application answered {}", state, part.messageId(),
                part.destination(), part.source(), SmppStatus.describe(status));
        return status;
    }

    /** Stops listening and drops every session at once, as a crashed SMSC would. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the listener: {}", e.getMessage());
        }
        for (SMPPServerSession session : connections) {
            session.close();
        }
        connections.clear();
        clients.clear();
        workers.shutdownNow();
        try {
            acceptor.join(BIND_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("SMSC test peer on {}:{} closed", host, port());
    }

    private void acceptLoop() {
        while (!closed) {
            SMPPServerSession session;
            try {
                session = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("SMSC test peer stops accepting: {}", e.getMessage());
                }
                return;
            }
            connections.add(session);
            try {
                workers.execute(() -> answerBind(session));
            } catch (RejectedExecutionException e) {
                session.close();
            }
        }
    }

    private void answerBind(SMPPServerSession session) {
        BindRequest request;
        try {
            request = session.waitForBind(BIND_WAIT_MS);
        } catch (TimeoutException | IllegalStateException e) {
            LOG.info("Connection to the SMSC test peer closed without a bind: {}", e.getMessage());
            return;
        }
        String addressRange = request.getAddressRange() == null ? "" : request.getAddressRange();
        int status = bindStatus(request, addressRange);
        try {
            if (status == 0) {
                boolean application = !HANDSET_SYSTEM_ID.equals(request.getSystemId());
                Client client = new Client(application, application ? null : "+" + digits(addressRange),
                        request.getBindType());
                session.setTransactionTimer(DELIVER_TIMEOUT_MS);
                clients.put(session, client);
                request.accept(SMSC_SYSTEM_ID);
                LOG.info("SMSC test peer bound {} {} ({})", application ? "application" : "handset",
                        application ? request.getSystemId() : client.number(), request.getBindType());
            } else {
                // the client closes the connection itself: closing it here as well races jSMPP's client, which
                // may then see the connection end before it reads the refusal, and report a bind timeout instead
                request.reject(status);
                LOG.info("SMSC test peer refused bind of '{}': {}", request.getSystemId(), SmppStatus.describe(status));
            }
        } catch (IOException | PDUStringException e) {
            LOG.warn("SMSC test peer could not answer a bind: {}", e.getMessage());
            clients.remove(session);
            session.close();
        }
        BindAttempt attempt = new BindAttempt(request.getSystemId(), request.getBindType().name(), addressRange, status);
        binds.add(attempt);
        bindObservers.forEach(observer -> observer.accept(attempt));
    }

    private int bindStatus(BindRequest request, String addressRange) {
        if (HANDSET_SYSTEM_ID.equals(request.getSystemId())) {
            return digits(addressRange).matches("[0-9]{3,20}") ? 0 : SmppStatus.ESME_RBINDFAIL;
        }
        if (!systemId.equals(request.getSystemId())) {
            return SmppStatus.ESME_RINVSYSID;
        }
        return password.equals(request.getPassword()) ? 0 : SmppStatus.ESME_RINVPASWD;
    }

    private void sessionStateChanged(SessionState newState, SessionState oldState, Session source) {
        if (newState == SessionState.CLOSED && source instanceof SMPPServerSession session) {
            connections.remove(session);
            Client gone = clients.remove(session);
            if (gone != null) {
                LOG.info("SMSC test peer lost {} {}", gone.application() ? "application" : "handset",
                        gone.application() ? systemId : gone.number());
            }
        }
    }

    /** A bound application session that can take deliver_sm (transceiver or receiver). */
    private SMPPServerSession applicationReceiver() {
        for (Map.Entry<SMPPServerSession, Client> entry : clients.entrySet()) {
            if (entry.getValue().application() && entry.getKey().getSessionState().isReceivable()) {
                return entry.getKey();
            }
        }
        return null;
    }

    private SMPPServerSession handsetReceiver(String number) {
        String wanted = digits(number);
        for (Map.Entry<SMPPServerSession, Client> entry : clients.entrySet()) {
            Client client = entry.getValue();
            if (!client.application() && digits(client.number()).equals(wanted)
                    && entry.getKey().getSessionState().isReceivable()) {
                return entry.getKey();
            }
        }
        return null;
    }

    private String newMessageId() {
        return String.format("%08X", nextMessageId.incrementAndGet());
    }

    private static String digits(String number) {
        return number.startsWith("+") ? number.substring(1) : number;
    }

    /** An application submit_sm: refuse, hold, or record it, answer it and pass it on to a bound handset. */
    private SubmitSmResult fromApplication(SubmitSm submit) throws ProcessRequestException {
        String from = SmsAddress.normalize(submit.getSourceAddr(), submit.getSourceAddrTon());
        String to = SmsAddress.normalize(submit.getDestAddress(), submit.getDestAddrTon());
        int refuse = refuseStatus;
        if (refuse != 0) {
            LOG.info("submit_sm {} -> {} refused by the SMSC test peer with {}", from, to,
                    SmppStatus.describe(refuse));
            throw new ProcessRequestException("refused by the SMSC test peer", refuse);
        }
        if (holding) {
            String id = PeerListener.UNANSWERED + newMessageId();
            held.add(id);
            return result(id);
        }
        SubmittedSms part;
        try {
            part = Deliveries.describe(submit, from, to, newMessageId());
        } catch (IllegalArgumentException e) {
            LOG.warn("submit_sm {} -> {} refused by the SMSC test peer: {}", from, to, e.getMessage());
            throw new ProcessRequestException(e.getMessage(), SmppStatus.ESME_RSYSERR);
        }
        submitted.add(part);
        LOG.info("submit_sm {} -> {} accepted by the SMSC test peer: id {}{}", from, to, part.messageId(),
                part.concatenated() ? ", part " + part.concatSequence() + "/" + part.concatTotal() : "");
        submitObservers.forEach(observer -> observer.accept(part));
        SMPPServerSession handset = handsetReceiver(to);
        if (handset != null) {
            workers.execute(() -> Deliveries.toHandset(handset, submit, to));
        }
        return result(part.messageId());
    }

    /** A handset submit_sm: deliver it to the application and answer with the application's status. */
    private SubmitSmResult fromHandset(Client handset, SubmitSm submit) throws ProcessRequestException {
        String to = SmsAddress.normalize(submit.getDestAddress(), submit.getDestAddrTon());
        SMPPServerSession application = applicationReceiver();
        if (application == null) {
            LOG.warn("MO SMS {} -> {} refused with {}: no application is bound", handset.number(), to,
                    SmppStatus.describe(SmppStatus.ESME_RSYSERR));
            throw new ProcessRequestException("no application bound", SmppStatus.ESME_RSYSERR);
        }
        String moId = newMessageId();
        int status;
        try {
            status = Deliveries.deliver(application, SmsAddress.parseSource(handset.number()),
                    new SmsAddress(submit.getDestAddress(), TypeOfNumber.valueOf(submit.getDestAddrTon()),
                            NumberingPlanIndicator.valueOf(submit.getDestAddrNpi())),
                    submit.getEsmClass() & UserDataHeader.ESM_CLASS_UDHI, submit.getDataCoding() & 0xFF,
                    submit.getShortMessage(), moId);
        } catch (IOException e) {
            LOG.warn("MO SMS {} -> {} refused with {}: {}", handset.number(), to,
                    SmppStatus.describe(SmppStatus.ESME_RSYSERR), e.getMessage());
            throw new ProcessRequestException(e.getMessage(), SmppStatus.ESME_RSYSERR);
        }
        LOG.info("MO SMS {} -> {} (id {}) relayed to the application: {}", handset.number(), to, moId,
                SmppStatus.describe(status));
        Relayed relayed = Deliveries.relayed(handset.number(), to, submit, status);
        relayObservers.forEach(observer -> observer.accept(relayed));
        if (status != 0) {
            throw new ProcessRequestException("application refused the SMS", status);
        }
        return result(moId);
    }

    private static SubmitSmResult result(String messageId) throws ProcessRequestException {
        try {
            return new SubmitSmResult(new MessageId(messageId), null);
        } catch (PDUStringException e) {
            throw new ProcessRequestException("bad message id " + messageId, SmppStatus.ESME_RSYSERR);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** jSMPP's callbacks for requests from bound clients; the peer handles submit_sm only. */
    private final class Receiver implements ServerMessageReceiverListener {

        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession source)
                throws ProcessRequestException {
            Client client = clients.get(source);
            if (client == null) {
                throw new ProcessRequestException("not bound", SmppStatus.ESME_RINVBNDSTS);
            }
            return client.application() ? fromApplication(submit) : fromHandset(client, submit);
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported("submit_multi");
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported("query_sm");
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported("replace_sm");
        }

        @Override
        public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported("cancel_sm");
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported("broadcast_sm");
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported("cancel_broadcast_sm");
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm,
                SMPPServerSession source) throws ProcessRequestException {
            throw unsupported("query_broadcast_sm");
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw unsupported("data_sm");
        }

        @Override
        public void onAcceptEnquireLink(EnquireLink enquireLink, Session source) {
            Client client = source instanceof SMPPServerSession session ? clients.get(session) : null;
            if (client != null) {
                enquireLinks.add(client.application() ? systemId : client.number());
            }
        }

        private ProcessRequestException unsupported(String command) {
            LOG.info("SMSC test peer answered {} with {}: not supported", command,
                    SmppStatus.describe(SmppStatus.ESME_RINVCMDID));
            return new ProcessRequestException(command + " is not supported by the SMSC test peer",
                    SmppStatus.ESME_RINVCMDID);
        }
    }
}
