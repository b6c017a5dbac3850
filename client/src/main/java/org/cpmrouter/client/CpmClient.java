package org.cpmrouter.client;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sip.address.Address;
import javax.sip.address.Hop;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.cpmrouter.sip.IncomingRequest;
import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.SipNodeConfig;
import org.cpmrouter.sip.cpim.CpimFormatException;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.cpmrouter.sip.urilist.MultipartBody;
import org.cpmrouter.sip.urilist.RecipientList;
import org.cpmrouter.sip.urilist.RecipientListMessage;
import org.cpmrouter.sip.urilist.UriListFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CPM Client (the seed's "CPM Client"): registers with its SIP/IP Core, sends CPM Messages as pager-mode
 * {@code MESSAGE} requests with a {@code message/cpim} body (wire-format.md section 7.A), and answers each
 * received CPM Message with {@code 200 OK}. Built on the SIP component's {@link SipNode} and CPIM codec.
 * With a password ({@link ClientConfig#password()}) it answers the core's digest challenges ({@link ClientDigest}).
 */
public final class CpmClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CpmClient.class);
    /** Names this client to the router, which offers it SHA-256 before MD5 (clients without one get MD5 alone). */
    static final String USER_AGENT = "cpm-client/" + java.util.Objects.requireNonNullElse(
            CpmClient.class.getPackage().getImplementationVersion(), "0.1");

    private final ClientConfig config;
    private final SipNode node;
    private final Hop proxy;
    private final String registrationCallId;
    private final AtomicLong cseq = new AtomicLong();
    private final ClientDigest digest;
    private volatile Consumer<ReceivedMessage> listener = m -> { };

    private CpmClient(ClientConfig config, SipNode node) {
        this.config = config;
        this.node = node;
        this.digest = new ClientDigest(config.user(), config.password());
        this.proxy = SipNode.hop(config.proxyHost(), config.proxyPort(), config.transport());
        this.registrationCallId = node.newCallId();
    }

    /** Starts listening on the configured local address. */
    public static CpmClient start(ClientConfig config) throws javax.sip.SipException {
        boolean tls = "tls".equals(config.transport());
        SipNodeConfig nodeConfig = new SipNodeConfig(config.localHost(), tls ? 0 : config.localPort(),
                List.of(config.transport()), Set.of("MESSAGE"), 2, null,
                tls ? config.tls().withPort(config.localPort()) : null);
        SipNode node = SipNode.start(nodeConfig);
        CpmClient client = new CpmClient(config, node);
        node.setHandler(client::onRequest);
        return client;
    }

    public ClientConfig config() {
        return config;
    }

    /** Where the core reaches this client: the Contact it registers. */
    public String contact() {
        String uri = "sip:" + config.user() + "@" + node.host() + ":" + node.port();
        return "udp".equals(config.transport()) ? uri : uri + ";transport=" + config.transport();
    }

    /** Called for every CPM Message received (on a stack thread; keep it short). */
    public void onMessage(Consumer<ReceivedMessage> newListener) {
        this.listener = newListener == null ? m -> { } : newListener;
    }

    /** Registers the contact for {@code expiresSeconds} (0 removes it). */
    public CompletableFuture<SendResult> register(int expiresSeconds) {
        try {
            Address aor = node.addressFactory().createAddress(config.identity());
            Request request = node.messageFactory().createRequest(
                    node.addressFactory().createURI("sip:" + config.domain()), Request.REGISTER,
                    callId(registrationCallId), cseq(Request.REGISTER),
                    node.headerFactory().createFromHeader(aor, node.newTag()),
                    node.headerFactory().createToHeader(aor, null),
                    List.of(node.newVia(config.transport())), node.newMaxForwards(70));
            ContactHeader contact = node.headerFactory().createContactHeader(
                    node.addressFactory().createAddress(contact()));
            request.addHeader(contact);
            request.addHeader(node.headerFactory().createExpiresHeader(expiresSeconds));
            return send(request);
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Whether the SIP/IP Core answers at all: an {@code OPTIONS} to it, for at most {@code timeoutMs}. A command
     * line asks first, so that a router that is not running is named after a short wait rather than after a
     * transaction's 32 s.
     *
     * @return completes true when the core answered (any final response), false when nothing came in time or it
     *         could not be reached
     */
    public CompletableFuture<Boolean> probe(long timeoutMs) {
        try {
            Address self = node.addressFactory().createAddress(config.identity());
            Request options = node.messageFactory().createRequest(
                    node.addressFactory().createURI("sip:" + config.proxyHost() + ":" + config.proxyPort()),
                    Request.OPTIONS, callId(node.newCallId()), cseq(Request.OPTIONS),
                    node.headerFactory().createFromHeader(self, node.newTag()),
                    node.headerFactory().createToHeader(self, null),
                    List.of(node.newVia(config.transport())), node.newMaxForwards(0));
            return node.send(options, proxy, timeoutMs).thenApply(response -> !SipNode.isLocallyMade(response));
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sends a new text CPM Message to a target address (a SIP or tel URI), in a new conversation. */
    public CompletableFuture<SendResult> send(String target, String text) {
        return send(OutgoingMessage.to(target, text));
    }

    /**
     * Sends a CPM Message, as CPIM. When the recipient refuses CPIM with {@code 415} and says in {@code Accept} that
     * it takes {@code text/plain} (plain SIP clients such as baresip do), the text is sent again as
     * {@code text/plain} (UTF-8), and the answer to that is the result.
     */
    public CompletableFuture<SendResult> send(OutgoingMessage message) {
        return send(message, false).thenCompose(result -> {
            if (result.status() != 415 || !takesPlainText(result.accept())) {
                return CompletableFuture.completedFuture(result);
            }
            LOG.info("callId={} the recipient takes {} only: sending the text again as text/plain", result.callId(),
                    result.accept());
            return send(message, true);
        });
    }

    /**
     * Sends one CPM Message to several recipients through a URI-list service (RFC 5365): a MESSAGE to
     * {@code listService} with {@code Require: recipient-list-message} and a {@code multipart/mixed} body holding
     * the list ({@code recipient-list}) and the CPIM message, whose CPIM {@code To} is the service. The service
     * answers {@code 202 Accepted} once it took the list; each recipient's fate comes back as an IMDN.
     */
    public CompletableFuture<SendResult> sendToList(String listService, RecipientList recipients, String text) {
        try {
            byte[] cpim = CpimMessage.builder().from(config.identity()).to(listService).text(text)
                    .dispositionNotification("negative-delivery").build().toBytes();
            MultipartBody body = new RecipientListMessage(recipients, CpmHeaders.MESSAGE_CPIM, cpim).toRequestBody();
            Address from = node.addressFactory().createAddress(config.identity());
            Address to = node.addressFactory().createAddress(listService);
            String[] type = body.contentType().split(";", 2)[0].split("/", 2);
            ContentTypeHeader contentType = node.headerFactory().createContentTypeHeader(type[0], type[1]);
            contentType.setParameter("boundary", body.contentType().substring(body.contentType().indexOf('=') + 1));
            Request request = node.messageFactory().createRequest(
                    node.addressFactory().createURI(listService), Request.MESSAGE,
                    callId(node.newCallId()), cseq(Request.MESSAGE),
                    node.headerFactory().createFromHeader(from, node.newTag()),
                    node.headerFactory().createToHeader(to, null),
                    List.of(node.newVia(config.transport())), node.newMaxForwards(70), contentType, body.toBytes());
            addHeader(request, "Require", RecipientList.OPTION_TAG);
            addHeader(request, CpmHeaders.P_PREFERRED_IDENTITY, "<" + config.identity() + ">");
            addHeader(request, CpmHeaders.P_PREFERRED_SERVICE, CpmHeaders.CPM_MSG_ICSI);
            addHeader(request, CpmHeaders.ACCEPT_CONTACT, CpmHeaders.CPM_MSG_ACCEPT_CONTACT);
            addHeader(request, CpmHeaders.CONVERSATION_ID, UUID.randomUUID().toString());
            addHeader(request, CpmHeaders.CONTRIBUTION_ID, UUID.randomUUID().toString());
            return send(request);
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Whether an Accept value names text/plain (or text/*) and not message/cpim. */
    static boolean takesPlainText(String accept) {
        if (accept == null) {
            return false;
        }
        List<String> types = java.util.Arrays.stream(accept.split(","))
                .map(t -> t.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT)).toList();
        return (types.contains("text/plain") || types.contains("text/*")) && !types.contains("message/cpim");
    }

    private CompletableFuture<SendResult> send(OutgoingMessage message, boolean plainText) {
        try {
            byte[] body = plainText ? message.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : CpimMessage.builder().from(config.identity()).to(message.target()).text(message.text()).build()
                            .toBytes();
            Address from = node.addressFactory().createAddress(config.identity());
            Address to = node.addressFactory().createAddress(message.target());
            ContentTypeHeader contentType = plainText
                    ? node.headerFactory().createContentTypeHeader("text", "plain")
                    : node.headerFactory().createContentTypeHeader("message", "cpim");
            if (plainText) {
                contentType.setParameter("charset", "UTF-8");
            }
            Request request = node.messageFactory().createRequest(
                    node.addressFactory().createURI(message.target()), Request.MESSAGE,
                    callId(node.newCallId()), cseq(Request.MESSAGE),
                    node.headerFactory().createFromHeader(from, node.newTag()),
                    node.headerFactory().createToHeader(to, null),
                    List.of(node.newVia(config.transport())), node.newMaxForwards(70), contentType, body);
            addHeader(request, CpmHeaders.P_PREFERRED_IDENTITY, "<" + config.identity() + ">");
            addHeader(request, CpmHeaders.P_PREFERRED_SERVICE, CpmHeaders.CPM_MSG_ICSI);
            addHeader(request, CpmHeaders.ACCEPT_CONTACT, CpmHeaders.CPM_MSG_ACCEPT_CONTACT);
            addHeader(request, CpmHeaders.CONVERSATION_ID, message.conversationId() != null
                    ? message.conversationId() : UUID.randomUUID().toString());
            addHeader(request, CpmHeaders.CONTRIBUTION_ID, UUID.randomUUID().toString());
            if (message.inReplyToContributionId() != null) {
                addHeader(request, CpmHeaders.IN_REPLY_TO_CONTRIBUTION_ID, message.inReplyToContributionId());
            }
            for (Map.Entry<String, String> extra : message.extraHeaders().entrySet()) {
                addHeader(request, extra.getKey(), extra.getValue());
            }
            return send(request);
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void addHeader(Request request, String name, String value) throws ParseException {
        request.addHeader(node.headerFactory().createHeader(name, value));
    }

    private CompletableFuture<SendResult> send(Request request) {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        try {
            if (request.getHeader("User-Agent") == null) {
                addHeader(request, "User-Agent", USER_AGENT);
            }
            digest.authorizeAhead(request, node.headerFactory());
        } catch (ParseException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(request, callId, 0);
    }

    /**
     * Sends, answering a 401 or 407 by sending again with credentials: same Call-ID, next CSeq. The first challenge
     * is always answered (credentials sent ahead may have had a nonce of a router since restarted); a second only
     * when it says the nonce was stale, so wrong credentials end with their refusal rather than a loop.
     */
    private CompletableFuture<SendResult> send(Request request, String callId, int answered) {
        Request unsent = (Request) request.clone(); // the stack puts this transaction's branch in the one it sends
        return node.send(request, proxy).thenCompose(response -> {
            int status = response.getStatusCode();
            SendResult result = status < 300 ? new SendResult(status, response.getReasonPhrase(), callId)
                    : new SendResult(status, response.getReasonPhrase(), callId, headerText(response, "Server"),
                            headerText(response, "Accept"));
            boolean challenged = status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED;
            if (!challenged || !digest.canAnswer() || answered >= 2 || (answered == 1 && !ClientDigest.isStale(response))) {
                return CompletableFuture.completedFuture(result);
            }
            try {
                Request again = (Request) unsent.clone();
                ((CSeqHeader) again.getHeader(CSeqHeader.NAME)).setSeqNumber(cseq.incrementAndGet());
                if (!digest.answer(response, again, node.headerFactory())) {
                    return CompletableFuture.completedFuture(result);
                }
                LOG.debug("callId={} {} challenged ({}): sending again with credentials", callId, again.getMethod(),
                        status);
                return send(again, callId, answered + 1);
            } catch (ParseException | javax.sip.InvalidArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** A header's values as one line (the stack splits list headers), or null. */
    private static String headerText(Response response, String name) {
        List<String> values = SipNode.headerValues(response, name);
        return values.isEmpty() ? null : String.join(name.equals("Server") ? " " : ", ", values);
    }

    private CallIdHeader callId(String value) throws ParseException {
        return node.headerFactory().createCallIdHeader(value);
    }

    private CSeqHeader cseq(String method) throws ParseException, javax.sip.InvalidArgumentException {
        return node.headerFactory().createCSeqHeader(cseq.incrementAndGet(), method);
    }

    private void onRequest(IncomingRequest in) {
        Request request = in.request();
        ReceivedMessage message;
        try {
            message = toReceived(request);
        } catch (CpimFormatException | UriListFormatException e) {
            in.respond(400, "Bad CPIM Body", List.of());
            return;
        }
        in.respond(200);
        try {
            listener.accept(message);
        } catch (RuntimeException e) {
            LOG.warn("message listener failed: {}", e.toString());
        }
    }

    private static ReceivedMessage toReceived(Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        var names = request.getHeaderNames();
        while (names.hasNext()) {
            String name = (String) names.next();
            List<String> values = SipNode.headerValues(request, name);
            if (!values.isEmpty()) {
                headers.put(name, values.get(0));
            }
        }
        byte[] body = request.getRawContent() == null ? new byte[0] : request.getRawContent();
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        String text;
        if (type != null && "message".equalsIgnoreCase(type.getContentType())
                && "cpim".equalsIgnoreCase(type.getContentSubType())) {
            CpimMessage cpim = CpimMessage.parse(body);
            text = cpim.text();
        } else if (type != null && "multipart".equalsIgnoreCase(type.getContentType())) {
            // a URI-list service's copy: the message beside the recipients it shows (RFC 5365)
            RecipientListMessage copy = RecipientListMessage.parseCopy(headers.get(ContentTypeHeader.NAME), body)
                    .orElseThrow(() -> new CpimFormatException("a multipart body without the message"));
            text = MultipartBody.mediaTypeOf(copy.payloadContentType()).equals(CpmHeaders.MESSAGE_CPIM)
                    ? CpimMessage.parse(copy.payload()).text()
                    : new String(copy.payload(), StandardCharsets.UTF_8);
        } else {
            text = new String(body, StandardCharsets.UTF_8);
        }
        // who sent it is what the network asserted, never what the sending client wrote in CPIM From; a group
        // message is asserted as the group, with the original sender in Referred-By (both set by the network,
        // which removes them from clients' requests)
        String asserted = firstUri(headers, CpmHeaders.P_ASSERTED_IDENTITY);
        String referredBy = firstUri(headers, CpmHeaders.REFERRED_BY);
        String sender = asserted;
        String group = null;
        String groupName = null;
        if (asserted != null && referredBy != null) {
            group = asserted;
            sender = referredBy;
            groupName = displayNameOf(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress());
        }
        if (sender == null) {
            sender = ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
        }
        return new ReceivedMessage(sender, group, groupName, text, headers.get(CpmHeaders.CONVERSATION_ID),
                headers.get(CpmHeaders.CONTRIBUTION_ID), ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(),
                headers, body);
    }

    private static String displayNameOf(javax.sip.address.Address address) {
        String name = address.getDisplayName();
        return name == null || name.isBlank() ? null : name;
    }

    private static String firstUri(Map<String, String> headers, String name) {
        String value = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (value == null) {
            return null;
        }
        int lt = value.indexOf('<');
        int gt = value.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? value.substring(lt + 1, gt) : value.split(";")[0].trim();
    }

    @Override
    public void close() {
        node.close();
    }
}
