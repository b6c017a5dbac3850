package org.cpmrouter.sip;

import java.util.Properties;

import javax.sip.SipStack;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's message trace, to SLF4J at TRACE level under {@code org.cpmrouter.sip.wire}. It logs the first line
 * and the Call-ID of each message sent or received, never the body.
 */
public final class Slf4jServerLogger implements ServerLogger {

    private static final Logger WIRE = LoggerFactory.getLogger("org.cpmrouter.sip.wire");

    @Override
    public void closeLogFile() {
        // nothing is written to files here
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        trace(message, from, to, sender);
    }

    private static void trace(SIPMessage message, String from, String to, boolean sender) {
        if (WIRE.isTraceEnabled()) {
            String callId = message.getCallId() == null ? "-" : message.getCallId().getCallId();
            WIRE.trace("{} {} -> {} callId={} {}", sender ? "sent" : "received", from, to, LogText.of(callId),
                    LogText.of(message.getFirstLine().trim()));
        }
    }

    @Override
    public void logException(Exception ex) {
        WIRE.debug("SIP stack exception", ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // levels come from the SLF4J backend
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // not needed
    }
}
