package org.cpmrouter.routes.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.cpmrouter.sip.LogText;

/**
 * {@code %msg} in {@code config/logback.xml}: the formatted message with its control characters escaped
 * ({@link LogText#escapeControls}), its line feeds, tabs and backslashes kept. The safety net under the log
 * statements, each of which escapes the values from the wire it prints with {@link LogText#of}: a value that
 * reaches a log line some other way (a library's message, a module that cannot depend on sip-message) still cannot
 * write a NUL or a terminal escape sequence into the log.
 */
public class PrintableMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escapeControls(event.getFormattedMessage());
    }
}
