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
 * The audit logs, each a file of JSON lines of its own logger, rotated by size, written at most 100 ms after the
 * event ({@link BufferedRollingFileAppender}): the decision audit ({@code org.cpmrouter.audit}, one line per
 * decision, written by {@link org.cpmrouter.rules.JsonDecisionAudit}, nowhere else) and the admin audit (one line
 * per change made through the admin API, also in the router's log). Set up in code so that paths and limits come
 * from the router's configuration ({@code cpm.audit.*}).
 */
public final class AuditLogFile {

    static final String LOGGER = "org.cpmrouter.audit";
    private static final Logger LOG = LoggerFactory.getLogger(AuditLogFile.class);

    private AuditLogFile() {
    }

    /**
     * Sends the decision audit logger to {@code file}, keeping {@code maxFiles} rotated files of at most
     * {@code maxFileSize} (logback size syntax: {@code 50MB}). Replaces a previous set-up (a restarted router in the
     * same JVM).
     */
    public static void install(Path file, String maxFileSize, int maxFiles) throws java.io.IOException {
        install(LOGGER, "cpm-decision-audit", file, maxFileSize, maxFiles, false);
        LOG.info("decision audit log: {} (rotated at {}, {} files kept)", file, maxFileSize, maxFiles);
    }

    /**
     * Sends {@code logger} to {@code file} as well as where it went before (the router's log): for the admin audit,
     * whose lines are few and which an operator also wants to see in the log.
     */
    public static void installAlongside(String logger, Path file, String maxFileSize, int maxFiles)
            throws java.io.IOException {
        install(logger, logger + "-file", file, maxFileSize, maxFiles, true);
        LOG.info("audit log of {}: {} (rotated at {}, {} files kept)", logger, file, maxFileSize, maxFiles);
    }

    private static void install(String logger, String appenderName, Path file, String maxFileSize, int maxFiles,
                                boolean additive) throws java.io.IOException {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            LOG.warn("the SLF4J backend is not Logback: audit lines go wherever logger {} is configured", logger);
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger audit = ctx.getLogger(logger);
        audit.detachAndStopAllAppenders();
        audit.setAdditive(additive);
        audit.setLevel(Level.INFO);

        // buffered, written every 100 ms: the SIP threads that decide never wait on the disk
        BufferedRollingFileAppender<ILoggingEvent> appender = new BufferedRollingFileAppender<>();
        appender.setContext(ctx);
        appender.setName(appenderName);
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
    }
}
