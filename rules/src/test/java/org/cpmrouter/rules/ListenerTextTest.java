package org.cpmrouter.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.cpmrouter.rules.facts.AddressType;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.MessageFormatter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The two listeners build their text by hand, in one buffer: it must stay byte for byte what the earlier code wrote.
 * The earlier code is the oracle here: SLF4J's parameterized formatting with the old pattern and arguments for
 * {@link DecisionLog}; {@link Instant#toString()} and the per-character escape with {@code String.format} for
 * {@link JsonDecisionAudit}.
 */
class ListenerTextTest {

    private static final String OLD_PATTERN =
            "decision callId={} stage={} verdict={} status={} reason=\"{}\" rule={} fired={} ruleset={}";
    /** Characters that need care in either listener, and some that do not. */
    private static final String TRICKY = "\"\\{}\n\r\t\b\f\u0000\u0001\u001f\u007f\u2028\u2029 aZ9é😀/<>&'";

    private ListAppender<ILoggingEvent> captured;
    private ListAppender<ILoggingEvent> audited;
    private Level auditLevel;

    @AfterEach
    void detach() {
        if (captured != null) {
            ((Logger) LoggerFactory.getLogger(PolicyEngine.class)).detachAppender(captured);
        }
        if (audited != null) {
            Logger audit = (Logger) LoggerFactory.getLogger(JsonDecisionAudit.LOGGER);
            audit.detachAppender(audited);
            audit.setLevel(auditLevel);
        }
    }

    /**
     * The listeners log through their thread's reused buffer ({@link LineBuffer}): every logged line equals the line
     * built in a buffer of its own ({@link DecisionLog#line}, {@link JsonDecisionAudit#toJson} at the logged time),
     * with nothing left over from a longer line before it, also after a line too long for the buffer to be kept.
     */
    @Test
    void linesLoggedThroughTheReusedBufferEqualLinesBuiltAfresh() {
        attachCapture();
        Random random = new Random(29);
        List<MessageContext> contexts = new ArrayList<>();
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            MessageContext c = MessageContext.builder().callId(randomText(random) + i).stage(randomStage(random))
                    .sender(random.nextBoolean() ? TestRules.ALICE : null).target(TestRules.BOB).build();
            Decision d = randomDecision(random);
            if (i % 97 == 5) { // longer than the kept buffer: the next lines start in a new one
                d = new Decision(d.verdict(), d.status(), "x".repeat(LineBuffer.MAX_KEPT_CAPACITY + i), null, null,
                        d.decidingRuleId(), d.firedRuleIds(), d.ruleSetHash());
            }
            contexts.add(c);
            decisions.add(d);
            new DecisionLog().onDecision(c, d);
            new JsonDecisionAudit().onDecision(c, d);
        }
        assertEquals(contexts.size(), captured.list.size());
        assertEquals(contexts.size(), audited.list.size());
        for (int i = 0; i < contexts.size(); i++) {
            MessageContext c = contexts.get(i);
            Decision d = decisions.get(i);
            assertEquals(DecisionLog.line(c, d), captured.list.get(i).getFormattedMessage(), "log line " + i);
            String json = audited.list.get(i).getFormattedMessage();
            assertEquals(JsonDecisionAudit.toJson(c, d, loggedTime(json)), json, "audit line " + i);
        }
    }

    /** Threads deciding at once each write their own lines: no line carries another thread's text. */
    @Test
    void threadsLoggingAtOnceKeepTheirLinesApart() throws InterruptedException {
        attachCapture();
        int threads = 4;
        int lines = 500;
        Map<String, List<String>> expected = new ConcurrentHashMap<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "logger-" + t;
            Random random = new Random(t);
            Thread thread = new Thread(() -> {
                List<String> mine = new ArrayList<>();
                for (int i = 0; i < lines; i++) {
                    MessageContext c = MessageContext.builder().callId(name + "-" + i + randomText(random))
                            .stage(randomStage(random)).sender(TestRules.ALICE).target(TestRules.BOB).build();
                    Decision d = randomDecision(random);
                    new DecisionLog().onDecision(c, d);
                    mine.add(DecisionLog.line(c, d));
                }
                expected.put(name, mine);
            }, name);
            started.add(thread);
            thread.start();
        }
        for (Thread thread : started) {
            thread.join();
        }
        Map<String, List<String>> logged = captured.list.stream().collect(Collectors.groupingBy(
                ILoggingEvent::getThreadName, Collectors.mapping(ILoggingEvent::getFormattedMessage,
                        Collectors.toList())));
        assertEquals(expected, logged);
    }

    private void attachCapture() {
        captured = new ListAppender<>();
        captured.start();
        ((Logger) LoggerFactory.getLogger(PolicyEngine.class)).addAppender(captured);
        Logger audit = (Logger) LoggerFactory.getLogger(JsonDecisionAudit.LOGGER);
        auditLevel = audit.getLevel();
        audit.setLevel(Level.INFO);
        audited = new ListAppender<>();
        audited.start();
        audit.addAppender(audited);
    }

    /** The {@code time} field of an audit line. */
    private static Instant loggedTime(String json) {
        String prefix = "{\"time\":\"";
        return Instant.parse(json.substring(prefix.length(), json.indexOf('"', prefix.length())));
    }

    @Test
    void decisionLogLineEqualsTheParameterizedFormOfTheOldPattern() {
        Random random = new Random(3);
        for (int i = 0; i < 2000; i++) {
            MessageContext c = MessageContext.builder().callId(randomText(random)).stage(randomStage(random))
                    .sender(TestRules.ALICE).target(TestRules.BOB).build();
            Decision d = randomDecision(random);
            String old = MessageFormatter.arrayFormat(OLD_PATTERN, new Object[] {c.getCallId(), c.getStage(),
                    d.verdict(), d.status(), d.reason().replace("\\", "\\\\").replace("\"", "\\\""),
                    d.decidingRuleId(), d.firedRuleIds(), d.ruleSetHash()}).getMessage();
            assertEquals(old, DecisionLog.line(c, d));
        }
    }

    @Test
    void decisionLogLogsTheLineAsItsFormattedMessage() {
        Logger logger = (Logger) LoggerFactory.getLogger(PolicyEngine.class);
        captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        MessageContext c = TestRules.message(Stage.ADDRESS_ROUTING, TestRules.ALICE, TestRules.BOB);
        Decision d = new Decision(Verdict.DENY, 404, "Not {} \"found\" \\", null, null, "ROUTE-090",
                List.of("CLASS-090", "ROUTE-090"), "16520c3e241f");
        new DecisionLog().onDecision(c, d);
        assertEquals(List.of("decision callId=call-address_routing@test stage=ADDRESS_ROUTING verdict=DENY status=404 "
                + "reason=\"Not {} \\\"found\\\" \\\\\" rule=ROUTE-090 fired=[CLASS-090, ROUTE-090] "
                + "ruleset=16520c3e241f"), captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void auditTimeIsWrittenAsInstantToString() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(59, 999_999_999), Instant.ofEpochSecond(60), Instant.ofEpochSecond(3600, 1000),
                Instant.parse("2025-03-01T10:15:30.123Z"), Instant.parse("2026-11-24T12:19:17.474860215Z"),
                Instant.parse("2000-02-29T23:59:59.100Z"), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("0001-01-01T00:00:00Z"), Instant.MIN,
                Instant.MAX, Instant.now()));
        Random random = new Random(11);
        long last = LocalDate.of(9999, 12, 31).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        for (int i = 0; i < 20_000; i++) {
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            long second = i % 2 == 0 ? 1_700_000_000L + random.nextInt(200_000_000)
                    : (long) (random.nextDouble() * last);
            instants.add(Instant.ofEpochSecond(second, nano));
        }
        for (Instant at : instants) {
            assertEquals(at.toString(), JsonDecisionAudit.instant(new StringBuilder(), at).toString());
        }
    }

    @Test
    void auditStringsAreEscapedAsBefore() {
        Random random = new Random(5);
        List<String> strings = new ArrayList<>(List.of("", "plain", TRICKY, "\"", "\\", "\u2028"));
        for (char ch = 0; ch < 0x100; ch++) {
            strings.add("x" + ch + "y");
        }
        for (int i = 0; i < 2000; i++) {
            strings.add(randomText(random));
        }
        for (String s : strings) {
            assertEquals(oldString(s), JsonDecisionAudit.string(new StringBuilder(), s).toString());
        }
    }

    /** The escape as JsonDecisionAudit wrote it before: one character at a time, {@code String.format} for \\u. */
    private static String oldString(String s) {
        StringBuilder json = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (ch < 0x20 || ch == 0x7f || ch == '\u2028' || ch == '\u2029') {
                        json.append(String.format("\\u%04x", (int) ch));
                    } else {
                        json.append(ch);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            s.append(random.nextBoolean() ? TRICKY.charAt(random.nextInt(TRICKY.length()))
                    : (char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    private static Stage randomStage(Random random) {
        return Stage.values()[random.nextInt(Stage.values().length)];
    }

    private static Decision randomDecision(Random random) {
        List<String> fired = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            fired.add("R-" + random.nextInt(100));
        }
        String reason = randomText(random);
        if (random.nextBoolean()) {
            return new Decision(Verdict.PERMIT, 0, reason, Destination.RECIPIENT_CLIENT, AddressType.CPM_USER,
                    "R-" + random.nextInt(100), fired, "16520c3e241f");
        }
        return new Decision(Verdict.DENY, 400 + random.nextInt(200), reason, null, null, PolicyEngine.NO_RULE, fired,
                "abc");
    }
}
