package org.cpmrouter.routes.sipcore;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the core relays to another role: when that hop is SIP ({@code cpm.hop.*} names a {@code sip-message}
 * endpoint) and the router there gave no final response in time, the sender gets {@code 504 Server Time-out} (RFC
 * 3261 section 21.5.5): the server behind this one timed out. The locally made 408 would tell the sender that the
 * recipient did not answer. Over an in-memory hop a locally made 408 comes from further on, the recipient's client,
 * and passes unchanged; so does a 408 that the other router sent.
 */
public final class RelayTimeout implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RelayTimeout.class);

    private final String hopKey;
    private volatile String hopUri;

    private RelayTimeout(String hopKey) {
        this.hopKey = hopKey;
    }

    /** The mapping for the hop configured under this key. */
    static RelayTimeout after(String hopKey) {
        return new RelayTimeout(hopKey);
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        if (!Boolean.TRUE.equals(message.getHeader(SipMessageConstants.NO_ANSWER, Boolean.class))
                || !Integer.valueOf(408).equals(message.getHeader(SipMessageConstants.STATUS_CODE, Integer.class))
                || !hopUri(exchange.getContext()).startsWith("sip-message:")) {
            return;
        }
        LOG.info("core callId={} no final response from {} ({}) in time; answering 504",
                LogText.of(message.getHeader("Call-ID")), hopKey, hopUri);
        message.setHeader(SipMessageConstants.STATUS_CODE, 504);
        message.setHeader(SipMessageConstants.REASON_PHRASE, "Server Time-out");
    }

    private String hopUri(CamelContext context) {
        String uri = hopUri;
        if (uri == null) {
            uri = context.resolvePropertyPlaceholders("{{" + hopKey + "}}");
            hopUri = uri;
        }
        return uri;
    }
}
