package org.cpmrouter.sip;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks a new request passes before a {@link SipNode} hands it to its handler, in the spirit of Kamailio's
 * {@code route(REQINIT)}: each step either answers the request itself, with an explicit status and reason, or lets
 * it through to the next. In order:
 * <ol>
 *   <li>{@link #refusedWhileDraining}: every new request, OPTIONS too, gets the drain answer once
 *       {@link #refuseNewRequests} was called (503 with Retry-After while the application stops);</li>
 *   <li>{@link #malformed}: what the screening parser found wrong: 400 with what, 505 for another SIP version;</li>
 *   <li>{@link #unsupportedUriScheme}: a Request-URI other than sip, sips or tel: 416 (RFC 4475 section 3.3.3);</li>
 *   <li>{@link #answeredOptions}: OPTIONS: 200 with Allow and Accept;</li>
 *   <li>{@link #cancelWithoutTransaction}: CANCEL: 481 (a MESSAGE transaction has nothing to cancel);</li>
 *   <li>{@link #methodNotAllowed}: a method the handler does not take: 405 with Allow;</li>
 *   <li>{@link #tooManyHops}: a MESSAGE with Max-Forwards 0: 483.</li>
 * </ol>
 * What comes before (a stray ACK dropped, overload refused statelessly) and after (the handler) is the node's.
 */
final class RequestSanityChecks {

    private static final Logger LOG = LoggerFactory.getLogger(SipNode.class); // the node's log, as before the split

    /** The answer every new request gets once {@link #refuseNewRequests} was called. */
    private record Refusal(int status, String reason, List<String> headers) {
    }

    private final Set<String> allowedMethods;
    private final String allowHeader;
    private volatile Refusal drainRefusal;

    /** @param allowedMethods the methods the node's handler takes; OPTIONS is always allowed (answered here) */
    RequestSanityChecks(Set<String> allowedMethods) {
        this.allowedMethods = allowedMethods;
        Set<String> allow = new TreeSet<>(allowedMethods);
        allow.add("OPTIONS");
        this.allowHeader = String.join(", ", allow);
    }

    /** Whether new requests get the drain answer ({@link #refuseNewRequests} was called). */
    boolean refusingNewRequests() {
        return drainRefusal != null;
    }

    /** From now on every new request is answered with this status before any other check. */
    void refuseNewRequests(int status, String reason, List<String> headers) {
        drainRefusal = new Refusal(status, reason, List.copyOf(headers));
    }

    /** Runs the checks in order; true when one of them answered the request (the handler must not get it). */
    boolean answered(IncomingRequest in) {
        Request request = in.request();
        return refusedWhileDraining(in, request)
                || malformed(in, request)
                || unsupportedUriScheme(in, request)
                || answeredOptions(in, request)
                || cancelWithoutTransaction(in, request)
                || methodNotAllowed(in, request)
                || tooManyHops(in, request);
    }

    private boolean refusedWhileDraining(IncomingRequest in, Request request) {
        Refusal refusal = drainRefusal;
        if (refusal == null) {
            return false;
        }
        in.refused(SipTrafficListener.Refusal.DRAINING);
        return refuseLogged(in, request, refusal.status(), refusal.reason(), refusal.headers());
    }

    private static boolean malformed(IncomingRequest in, Request request) {
        RequestDefect defect = RequestDefect.of(request);
        if (defect == null) {
            return false;
        }
        in.refused(SipTrafficListener.Refusal.MALFORMED);
        return refuseLogged(in, request, defect.status(), defect.reason(), List.of());
    }

    /** Answers with a refusal worth a log line (the drain's and the screening's); always true. */
    private static boolean refuseLogged(IncomingRequest in, Request request, int status, String reason,
                                        List<String> headers) {
        LOG.info("callId={} refused {} {}: {}", LogText.of(in.callId()), LogText.of(request.getMethod()), status, reason);
        in.respond(status, reason, headers);
        return true;
    }

    private static boolean unsupportedUriScheme(IncomingRequest in, Request request) {
        String scheme = request.getRequestURI().getScheme();
        if ("sip".equalsIgnoreCase(scheme) || "sips".equalsIgnoreCase(scheme) || "tel".equalsIgnoreCase(scheme)) {
            return false;
        }
        in.respond(416, "Unsupported URI Scheme", List.of());
        return true;
    }

    private boolean answeredOptions(IncomingRequest in, Request request) {
        if (!Request.OPTIONS.equals(request.getMethod())) {
            return false;
        }
        in.respond(200, "OK", List.of("Allow: " + allowHeader, "Accept: message/cpim, text/plain"));
        return true;
    }

    private static boolean cancelWithoutTransaction(IncomingRequest in, Request request) {
        if (!Request.CANCEL.equals(request.getMethod())) {
            return false;
        }
        in.respond(481);
        return true;
    }

    private boolean methodNotAllowed(IncomingRequest in, Request request) {
        if (allowedMethods.contains(request.getMethod())) {
            return false;
        }
        in.respond(405, "Method Not Allowed", List.of("Allow: " + allowHeader));
        return true;
    }

    private static boolean tooManyHops(IncomingRequest in, Request request) {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (!Request.MESSAGE.equals(request.getMethod()) || mf == null || mf.getMaxForwards() > 0) {
            return false;
        }
        in.respond(483);
        return true;
    }
}
