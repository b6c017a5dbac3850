package org.cpmrouter.routes;

import java.util.Locale;

import org.apache.camel.Message;
import org.cpmrouter.sip.cpim.CpmHeaders;

/**
 * Reads and writes the leg marker: the {@code P-Served-User} header of RFC 5502, whose {@code sescase} says which
 * side (orig or term) is being served and for whom. The core adds it when it hands a request to a Participating
 * Function; the function adds the {@code served} parameter when it has done its leg. That lets roles run in one
 * process or on several hosts with the same rules, and keeps any leg from running twice. The marker is trusted
 * only from configured peers ({@link TrustedPeers}) and is removed before a request reaches a client.
 */
public final class ServedUserMarker {

    static final String SERVED = "served";

    private ServedUserMarker() {
    }

    public static Leg read(Message message) {
        String value = message.getHeader(CpmHeaders.P_SERVED_USER, String.class);
        if (value == null || value.isBlank()) {
            return Leg.NEW;
        }
        String params = value.substring(value.indexOf('>') + 1).toLowerCase(Locale.ROOT).replace(" ", "");
        boolean served = (params + ";").contains(";" + SERVED + ";");
        if (params.contains("sescase=term")) {
            return served ? Leg.TERMINATING_DONE : Leg.AT_TERMINATING_PARTICIPATING;
        }
        if (params.contains("sescase=orig")) {
            return served ? Leg.ORIGINATING_DONE : Leg.AT_ORIGINATING_PARTICIPATING;
        }
        return Leg.NEW;
    }

    /** Hands the request to a Participating Function serving {@code servedUser} on the orig or term side. */
    public static void handTo(Message message, String servedUser, boolean originating) {
        message.setHeader(CpmHeaders.P_SERVED_USER,
                "<" + servedUser + ">;sescase=" + (originating ? "orig" : "term") + ";regstate=reg");
    }

    /** Records that the Participating Function has done its leg. */
    public static void markServed(Message message) {
        String value = message.getHeader(CpmHeaders.P_SERVED_USER, String.class);
        if (value == null) {
            throw new IllegalStateException("no " + CpmHeaders.P_SERVED_USER + " to mark as served");
        }
        if (read(message) == Leg.AT_ORIGINATING_PARTICIPATING || read(message) == Leg.AT_TERMINATING_PARTICIPATING) {
            message.setHeader(CpmHeaders.P_SERVED_USER, value + ";" + SERVED);
        }
    }

    /** The served user's identity in the marker, or null. */
    public static String servedUser(Message message) {
        String value = message.getHeader(CpmHeaders.P_SERVED_USER, String.class);
        if (value == null) {
            return null;
        }
        int lt = value.indexOf('<');
        int gt = value.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? value.substring(lt + 1, gt) : null;
    }
}
