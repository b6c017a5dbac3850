package org.cpmrouter.routes.logging;

import java.nio.file.Files;
import java.nio.file.Path;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision audit log: the JSON lines of the {@code org.cpmrouter.audit} logger (one per decision, written by
 * {@link org.cpmrouter.rules.JsonDecisionAudit}) go to their own file, rotated by size, and nowhere else, at most
 * 100 ms after the decision ({@link BufferedRollingFileAppender}). Set up in
 * code so that its path and limits come from the router's configuration ({@code cpm.audit.*}).
 */
public final class AuditLogFile {

    static final String LOGGER = "org.cpmrouter.audit";
    private static final Logger LOG = LoggerFactory.getLogger(AuditLogFile.class);

    private AuditLogFile() {
    }

    /**
     * Sends the audit logger to {@code file}, keeping {@code maxFiles} rotated files of at most {@code maxFileSize}
     * (logback size syntax: {@code 50MB}). Replaces a previous set-up (a restarted router in the same JVM).
     */
    public static void install(Path file, String maxFileSize, int maxFiles) throws java.io.IOException {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            LOG.warn("the SLF4J backend is not Logback: the decision audit goes wherever logger {} is configured",
                    LOGGER);
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger audit = ctx.getLogger(LOGGER);
        audit.detachAndStopAllAppenders();
        audit.setAdditive(false);
        audit.setLevel(Level.INFO);

        // buffered, written every 100 ms: the SIP threads that decide never wait on the disk
        BufferedRollingFileAppender<ILoggingEvent> appender = new BufferedRollingFileAppender<>();
        appender.setContext(ctx);
        appender.setName("cpm-decision-audit");
        appender.setFile(file.toString());

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(Math.max(1, maxFiles));
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(FileSize.valueOf(maxFileSize));
        trigger.start();

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%msg%n");
        encoder.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder);
        appender.start();
        audit.addAppender(appender);
        LOG.info("decision audit log: {} (rotated at {}, {} files kept)", file, maxFileSize, maxFiles);
    }
}
