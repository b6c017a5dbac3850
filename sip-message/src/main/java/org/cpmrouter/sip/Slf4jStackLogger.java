package org.cpmrouter.sip;

import java.util.Properties;

import gov.nist.core.StackLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the JAIN-SIP RI's internal logging to SLF4J, so the stack needs no log4j 1.x.
 * Installed through the stack property {@code gov.nist.javax.sip.STACK_LOGGER}; the stack's very verbose
 * DEBUG output is mapped to TRACE so that a DEBUG router log stays readable. The stack's lines quote what it
 * received, so each goes out through {@link LogText}.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");

    @Override
    public void logStackTrace() {
        // the stack uses this to dump its own call stack at DEBUG; nothing an operator needs
    }

    @Override
    public void logStackTrace(int traceLevel) {
        // see logStackTrace()
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        LOG.warn("SIP stack exception", ex);
    }

    @Override
    public void logDebug(String message) {
        if (LOG.isTraceEnabled()) {
            LOG.trace(LogText.of(message));
        }
    }

    @Override
    public void logDebug(String message, Exception ex) {
        if (LOG.isTraceEnabled()) {
            LOG.trace(LogText.of(message), ex);
        }
    }

    @Override
    public void logTrace(String message) {
        logDebug(message);
    }

    @Override
    public void logFatalError(String message) {
        LOG.error(LogText.of(message));
    }

    @Override
    public void logError(String message) {
        if (isDroppedMessageLine(message)) {
            return;
        }
        if (isConnectFailure(message)) {
            LOG.debug(LogText.of(firstLine(message)));
            return;
        }
        if (isMalformedInput(message)) {
            LOG.warn(LogText.of(withoutMessageText(message)));
            return;
        }
        LOG.error(LogText.of(withoutMessageText(message)));
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isInfoEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int level) {
        switch (level) {
            case TRACE_FATAL:
            case TRACE_ERROR:
                return LOG.isErrorEnabled();
            case TRACE_WARN:
                return LOG.isWarnEnabled();
            case TRACE_INFO:
                return LOG.isInfoEnabled();
            case TRACE_NONE:
                return false;
            default:
                return LOG.isTraceEnabled();
        }
    }

    @Override
    public void logError(String message, Exception ex) {
        if (isConnectFailure(message) || isKeepAliveAnswerFailure(message)) {
            LOG.debug(LogText.of(firstLine(message)), ex);
            return;
        }
        LOG.error(LogText.of(withoutMessageText(message)), ex);
    }

    /**
     * The stack quotes whole received messages, bodies included, in a few error lines; bodies are never logged
     * here, so those lines keep only what happened.
     */
    private static String withoutMessageText(String message) {
        if (message == null) {
            return null;
        }
        if (isMalformedInput(message)) {
            return "SIP stack dropped a received message without From, To, Call-ID, CSeq or Via";
        }
        if (message.startsWith("Error while processing incoming UDP packet")) {
            return "Error while processing an incoming UDP packet";
        }
        return firstLine(message);
    }

    /** A stack line that quotes a message has it from its second line on: keep the first (no body). */
    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end).stripTrailing() + " [message text not logged]";
    }

    /**
     * The stack's several error lines (one quoting the request, body and all) about a connection it could not
     * open: {@link SipNode} logs one line for the request instead, and answers it 503.
     */
    private static boolean isConnectFailure(String message) {
        return message != null && (message.startsWith("Problem connecting ") || message.startsWith("Problem sending: ")
                || message.startsWith("Could not connect to ") || message.startsWith("Error is ")
                || message.equals("{}") || message.startsWith("Failed to connect "));
    }

    /**
     * The stack could not answer a client's CRLFCRLF keep-alive (RFC 5626 section 4.4.1) because the client had
     * closed the connection: the client's doing, not a fault of the router.
     */
    private static boolean isKeepAliveAnswerFailure(String message) {
        return message != null && message.startsWith("A problem occured while trying to send a single CLRF");
    }

    /** A message that lacks the headers every request needs: bad input, not a fault of the router. */
    private static boolean isMalformedInput(String message) {
        return message != null && message.startsWith("bad message ");
    }

    /** The stack's second line about the same dropped message (the first says it already). */
    private static boolean isDroppedMessageLine(String message) {
        return message != null && message.startsWith(">>> Dropped Bad Msg");
    }

    @Override
    public void logWarning(String message) {
        if (isConnectFailure(message)) {
            LOG.debug(LogText.of(message));
            return;
        }
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("tls")) {
            LOG.debug(LogText.of(message)); // said at every start about TLS, which is not configured
            return;
        }
        LOG.warn(message == null ? null : LogText.of(firstLine(message)));
    }

    @Override
    public void logInfo(String message) {
        LOG.info(message == null ? null : LogText.of(firstLine(message)));
    }

    @Override
    public void disableLogging() {
        // level is governed by the SLF4J backend's configuration
    }

    @Override
    public void enableLogging() {
        // level is governed by the SLF4J backend's configuration
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("JAIN-SIP build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to configure: levels come from the SLF4J backend
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
