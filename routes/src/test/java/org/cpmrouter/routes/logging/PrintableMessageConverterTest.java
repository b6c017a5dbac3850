package org.cpmrouter.routes.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.cpmrouter.sip.LogText;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;

/**
 * The shipped {@code config/logback.xml} escapes the control characters of every message ({@code %msg} is
 * {@link PrintableMessageConverter}): a value from the wire that a log statement printed without
 * {@link LogText#of} still cannot put a NUL or a terminal escape sequence into the router's log.
 */
class PrintableMessageConverterTest {

    @Test
    void should_escape_control_characters_in_every_line_of_the_shipped_log_pattern() throws Exception {
        Layout<ILoggingEvent> layout = shippedLayout();

        String line = layout.doLayout(event("callId={} refused", "nul\u0000esc\u001b[2J@example.com"));

        assertTrue(line.endsWith(" - callId=nul\\x00esc\\x1b[2J@example.com refused" + System.lineSeparator()),
                line);
    }

    @Test
    void should_leave_values_escaped_once_and_the_messages_own_line_breaks_as_they_are() throws Exception {
        Layout<ILoggingEvent> layout = shippedLayout();
        String escaped = LogText.of("a\u0000b\\c");

        String line = layout.doLayout(event("rules refused:\n\tcallId={}", escaped));

        assertTrue(line.endsWith(" - rules refused:\n\tcallId=a\\x00b\\\\c" + System.lineSeparator()), line);
    }

    @Test
    void should_keep_a_message_without_control_characters_as_it_was() {
        PrintableMessageConverter converter = new PrintableMessageConverter();
        ILoggingEvent event = event("message callId={} status={}", "abc@example.com", 202);
        assertEquals("message callId=abc@example.com status=202", converter.convert(event));
    }

    /** The layout of the console appender that config/logback.xml configures, in a context of its own. */
    @SuppressWarnings("unchecked")
    private static Layout<ILoggingEvent> shippedLayout() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of(System.getProperty("cpm.home", "..")).resolve("config/logback.xml").toFile());
        BatchingAsyncAppender async = (BatchingAsyncAppender) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("ASYNC");
        OutputStreamAppender<ILoggingEvent> out = (OutputStreamAppender<ILoggingEvent>) async.getAppender("OUT");
        Layout<ILoggingEvent> layout = ((LayoutWrappingEncoder<ILoggingEvent>) out.getEncoder()).getLayout();
        context.stop(); // the layout keeps working; the appenders and their threads are done
        return layout;
    }

    private static ILoggingEvent event(String pattern, Object... arguments) {
        LoggerContext context = new LoggerContext();
        return new LoggingEvent(PrintableMessageConverterTest.class.getName(),
                context.getLogger("org.cpmrouter.test"), Level.INFO, pattern, null, arguments);
    }
}
