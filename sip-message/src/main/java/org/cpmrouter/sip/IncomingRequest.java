package org.cpmrouter.sip;

import java.text.ParseException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request received by a {@link SipNode}, with what answers it: its server transaction (the stack's, or the lean
 * UDP transport's), or a stateless send for the few requests the stack makes none for. It is answered exactly once
 * with
 * {@link #respond}; later calls are ignored, so racing error paths cannot send two final responses.
 */
public final class IncomingRequest {

    private static final Logger LOG = LoggerFactory.getLogger(IncomingRequest.class);

    /** Sends a response to this request: through its server transaction, or statelessly. */
    @FunctionalInterface
    interface ResponseSender {
        void send(Response response) throws Exception;
    }

    private final SipNode node;
    private final Request request;
    private final ResponseSender sender;
    private final String remoteAddress;
    private final int remotePort;
    private final String transport;
    private final AtomicBoolean answered = new AtomicBoolean();
    /** The guard that admitted this request, given its place back on the final answer; null when not counted. */
    private final OverloadGuard admittedBy;
    private final SipTrafficListener traffic;

    /** @param sender null: statelessly, through the stack */
    IncomingRequest(SipNode node, Request request, ResponseSender sender, String remoteAddress,
                    int remotePort, String transport, OverloadGuard admittedBy, SipTrafficListener traffic) {
        this.node = node;
        this.admittedBy = admittedBy;
        this.traffic = traffic;
        traffic.serverTransactionStarted();
        this.request = request;
        this.sender = sender != null ? sender : node::sendStateless;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.transport = transport;
    }

    public Request request() {
        return request;
    }

    public SipNode node() {
        return node;
    }

    /** IP address the request came from (the packet's source, not what Via claims). */
    public String remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    /** {@code udp}, {@code tcp} or {@code tls}. */
    public String transport() {
        return transport;
    }

    public String callId() {
        return SipNode.callIdOf(request);
    }

    /** Counts a refusal of the node's own, before the handler (the response that follows is counted as sent). */
    void refused(SipTrafficListener.Refusal reason) {
        traffic.requestRefused(reason);
    }

    /** Answers with a status and the default reason phrase. */
    public void respond(int status) {
        respond(status, SipStatus.reasonPhrase(status), List.of());
    }

    /**
     * Answers with a final (or provisional) response.
     *
     * @param extraHeaders whole header lines such as {@code "Contact: <sip:bob@127.0.0.1:5070>;expires=3600"}
     */
    public void respond(int status, String reason, List<String> extraHeaders) {
        boolean last = status >= 200;
        if (last && !answered.compareAndSet(false, true)) {
            LOG.debug("callId={} already answered; dropping second response {}", LogText.of(callId()), status);
            return;
        }
        if (last && admittedBy != null) {
            // before sending: once the client holds the answer, the request no longer counts as in flight
            admittedBy.release();
        }
        traffic.responseSent(status);
        if (last) {
            traffic.serverTransactionEnded();
        }
        try {
            Response response = node.messageFactory().createResponse(status, request);
            if (reason != null && !reason.isBlank()) {
                response.setReasonPhrase(reason);
            }
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (status > 100 && to != null && to.getTag() == null) {
                to.setTag(node.newTag());
            }
            for (String line : extraHeaders) {
                for (Header header : node.parseHeaderLine(line)) {
                    response.addHeader(header);
                }
            }
            send(response);
        } catch (ParseException | RuntimeException e) {
            LOG.warn("callId={} could not build response {} ({}); answering 500", LogText.of(callId()), status,
                    LogText.of(e.toString()));
            sendPlain(500);
        } catch (Exception e) {
            LOG.warn("callId={} could not send response {}: {}", LogText.of(callId()), status, LogText.of(e.toString()));
        }
    }

    private void send(Response response) throws Exception {
        sender.send(response);
    }

    private void sendPlain(int status) {
        try {
            send(node.messageFactory().createResponse(status, request));
        } catch (Exception e) {
            LOG.warn("callId={} could not send fallback response {}: {}", LogText.of(callId()), status,
                    LogText.of(e.toString()));
        }
    }
}
