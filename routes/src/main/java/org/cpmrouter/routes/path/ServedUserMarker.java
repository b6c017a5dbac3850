package org.cpmrouter.routes.path;

import java.util.Locale;

import org.apache.camel.Message;
import org.cpmrouter.sip.cpim.CpmHeaders;

/**
 * Reads and writes the leg marker. {@code P-Served-User} (RFC 5502) says which leg a request is handed to a
 * Participating Function for, and for whom ({@code sescase=orig} for the sender, {@code term} for the
 * recipient); when the function has done that leg it adds {@code P-CPM-Served-Leg: orig} (or {@code term}).
 * A separate header, because the JAIN-SIP RI re-encodes P-Served-User with {@code sescase} and
 * {@code regstate} only, so no flag on it survives a SIP hop. Together they let roles run in one process or on
 * several hosts with the same logic, and keep any leg from running twice. Both are believed only from trusted
 * peers ({@code auth.TrustedPeers}) and both are removed before a request reaches a client.
 */
public final class ServedUserMarker {

    /** Network-internal header naming the leg that has been served. */
    public static final String SERVED_LEG = "P-CPM-Served-Leg";

    private ServedUserMarker() {
    }

    public static Leg read(Message message) {
        String served = message.getHeader(SERVED_LEG, String.class);
        if (served != null) {
            String leg = served.trim().toLowerCase(Locale.ROOT);
            if (leg.equals("term")) {
                return Leg.TERMINATING_DONE;
            }
            if (leg.equals("orig")) {
                return Leg.ORIGINATING_DONE;
            }
        }
        String value = message.getHeader(CpmHeaders.P_SERVED_USER, String.class);
        if (value == null || value.isBlank()) {
            return Leg.NEW;
        }
        String params = value.substring(value.indexOf('>') + 1).toLowerCase(Locale.ROOT).replace(" ", "");
        if (params.contains("sescase=term")) {
            return Leg.AT_TERMINATING_PARTICIPATING;
        }
        if (params.contains("sescase=orig")) {
            return Leg.AT_ORIGINATING_PARTICIPATING;
        }
        return Leg.NEW;
    }

    /** Hands the request to a Participating Function serving {@code servedUser} on the orig or term side. */
    public static void handTo(Message message, String servedUser, boolean originating) {
        message.setHeader(CpmHeaders.P_SERVED_USER,
                "<" + servedUser + ">;sescase=" + (originating ? "orig" : "term") + ";regstate=reg");
        message.removeHeader(SERVED_LEG);
    }

    /** Records that the Participating Function has done the leg it was handed. */
    public static void markServed(Message message) {
        Leg leg = read(message);
        if (leg == Leg.AT_ORIGINATING_PARTICIPATING) {
            message.setHeader(SERVED_LEG, "orig");
        } else if (leg == Leg.AT_TERMINATING_PARTICIPATING) {
            message.setHeader(SERVED_LEG, "term");
        } else if (leg == Leg.NEW) {
            throw new IllegalStateException("no " + CpmHeaders.P_SERVED_USER + " leg to mark as served");
        }
    }

    /** Removes the marker, before the request leaves the network for a client. */
    public static void clear(Message message) {
        message.removeHeader(CpmHeaders.P_SERVED_USER);
        message.removeHeader(SERVED_LEG);
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
