package org.cpmrouter.sip.camel;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * Which headers cross between a Camel message and a SIP request, by default. Towards SIP (a producer's request), an
 * Exchange header is dropped when its name is Camel's ({@code Camel*} in any case, {@code org.apache.camel.*}),
 * is not an RFC 3261 token (no SIP header can have that name), or names a header the stack writes itself
 * ({@code Via}, {@code Content-Length}, {@code Record-Route}). From SIP (a received request), those three stack
 * headers do not become Exchange headers. Every other SIP header crosses under its SIP name.
 *
 * <p>Headers the binding builds itself ({@code From}, {@code To}, {@code Call-ID}, {@code CSeq},
 * {@code Max-Forwards}, {@code Content-Type}) are read from the Exchange whatever a strategy says, and a
 * {@code Route} naming the receiving node is consumed by the binding, not by a strategy.
 */
public class SipMessageHeaderFilterStrategy extends DefaultHeaderFilterStrategy {

    /** Transaction-level headers that stay with the stack, both ways. */
    static final Set<String> STACK_HEADERS = Set.of("Via", "Content-Length", "Record-Route");
    /** The characters of an RFC 3261 token besides letters and digits. */
    private static final String TOKEN_MARKS = "-.!%*_+`'~";

    public SipMessageHeaderFilterStrategy() {
        setCaseInsensitive(true); // SIP header names are case-insensitive, as Camel's header map is
        setInFilter(STACK_HEADERS);
        setOutFilter(STACK_HEADERS);
    }

    @Override
    protected boolean extendedFilter(Direction direction, String name, Object value, Exchange exchange) {
        return direction == Direction.OUT && !isSipName(name);
    }

    /** Whether an Exchange header name may go on the wire as a SIP header name. */
    static boolean isSipName(String name) {
        return name != null && !name.isEmpty() && !name.regionMatches(true, 0, "Camel", 0, 5)
                && !name.startsWith("org.apache.camel.") && isToken(name);
    }

    /** RFC 3261 token characters only (a loop: this runs for every header of every request sent). */
    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || TOKEN_MARKS.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }
}
