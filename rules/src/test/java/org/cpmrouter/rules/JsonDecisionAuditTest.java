package org.cpmrouter.rules;

import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cpmrouter.rules.facts.AddressType;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class JsonDecisionAuditTest {

    private static final Instant AT = Instant.parse("2025-03-01T10:15:30.123Z");

    private ListAppender<ILoggingEvent> captured;

    @AfterEach
    void detach() {
        if (captured != null) {
            ((Logger) LoggerFactory.getLogger(JsonDecisionAudit.LOGGER)).detachAppender(captured);
        }
    }

    @Test
    void should_write_every_field_in_order_when_a_routing_decision_permits() {
        MessageContext c = MessageContext.builder().callId("a84b4c76e66710@pc33").stage(Stage.ADDRESS_ROUTING)
                .sender(ALICE).target(BOB).contentType("message/cpim").bodyLength(120).build();
        Decision d = new Decision(Verdict.PERMIT, 0, "Routed to PARTICIPATING_TERMINATING",
                Destination.PARTICIPATING_TERMINATING, AddressType.CPM_USER, "ROUTE-010",
                List.of("CLASS-010", "ROUTE-010"), "16520c3e241f");
        assertEquals("{\"time\":\"2025-03-01T10:15:30.123Z\",\"callId\":\"a84b4c76e66710@pc33\",\"role\":\"core\","
                + "\"stage\":\"ADDRESS_ROUTING\",\"sender\":\"sip:alice@cpm.example.net\","
                + "\"target\":\"sip:bob@cpm.example.net\",\"addressType\":\"CPM_USER\",\"verdict\":\"PERMIT\","
                + "\"status\":0,\"reason\":\"Routed to PARTICIPATING_TERMINATING\","
                + "\"nextHop\":\"PARTICIPATING_TERMINATING\",\"service\":null,\"rule\":\"ROUTE-010\","
                + "\"fired\":[\"CLASS-010\",\"ROUTE-010\"],\"ruleset\":\"16520c3e241f\"}",
                JsonDecisionAudit.toJson(c, d, AT));
    }

    @Test
    void should_write_nulls_and_empty_array_when_a_denial_has_no_sender_type_or_hop() {
        MessageContext c = TestRules.message(Stage.ORIGINATING_AUTHORIZATION, null, BOB);
        Decision d = new Decision(Verdict.DENY, 403, "No policy rule permitted the request", null, null,
                PolicyEngine.NO_RULE, List.of(), "abc");
        String json = JsonDecisionAudit.toJson(c, d, AT);
        assertEquals("{\"time\":\"2025-03-01T10:15:30.123Z\",\"callId\":\"call-originating_authorization@test\","
                + "\"role\":\"originating\",\"stage\":\"ORIGINATING_AUTHORIZATION\",\"sender\":null,"
                + "\"target\":\"sip:bob@cpm.example.net\",\"addressType\":null,\"verdict\":\"DENY\",\"status\":403,"
                + "\"reason\":\"No policy rule permitted the request\",\"nextHop\":null,\"service\":null,\"rule\":\"NO-RULE\","
                + "\"fired\":[],\"ruleset\":\"abc\"}", json);
        Map<String, Object> parsed = Json.parseObject(json);
        assertNull(parsed.get("sender"));
        assertTrue(parsed.containsKey("sender"));
        assertEquals(403L, parsed.get("status"));
        assertEquals(List.of(), parsed.get("fired"));
    }

    @Test
    void should_escape_quotes_backslashes_and_control_characters_when_strings_hold_them() {
        String nasty = "say \"hi\" \\ path C:\\x\nline2\r\ttab\b\f\u0001\u001f\u007f\u2028 é 😀";
        MessageContext c = MessageContext.builder().callId("id\"with\\quote\n").stage(Stage.TERMINATING_AUTHORIZATION)
                .sender("sip:\"eve\"@x").target(BOB).build();
        Decision d = new Decision(Verdict.DENY, 403, nasty, null, null, "AUTH-130", List.of("AUTH-130", "a\"b"),
                "h");
        String json = JsonDecisionAudit.toJson(c, d, AT);

        assertFalse(json.contains("\n") || json.contains("\r") || json.contains("\u2028"), json);
        assertTrue(json.contains("\"reason\":\"say \\\"hi\\\" \\\\ path C:\\\\x\\nline2\\r\\ttab\\b\\f\\u0001\\u001f"
                + "\\u007f\\u2028 é 😀\""), json);
        assertTrue(json.contains("\"callId\":\"id\\\"with\\\\quote\\n\""), json);

        // and it parses back to exactly the original values
        Map<String, Object> parsed = Json.parseObject(json);
        assertEquals(List.of("time", "callId", "role", "stage", "sender", "target", "addressType", "verdict", "status",
                "reason", "nextHop", "service", "rule", "fired", "ruleset"), new ArrayList<>(parsed.keySet()));
        assertEquals(nasty, parsed.get("reason"));
        assertEquals("id\"with\\quote\n", parsed.get("callId"));
        assertEquals("sip:\"eve\"@x", parsed.get("sender"));
        assertEquals(List.of("AUTH-130", "a\"b"), parsed.get("fired"));
        assertEquals("terminating", parsed.get("role"));
    }

    @ParameterizedTest
    @CsvSource({
            "ORIGINATING_AUTHORIZATION, originating",
            "TERMINATING_AUTHORIZATION, terminating",
            "CONTROLLING_AUTHORIZATION, controlling",
            "URI_LIST_AUTHORIZATION, uri-list",
            "ADDRESS_ROUTING, core",
            "RECIPIENT_DELIVERY, core",
            "DELIVERY_REPORT, reports"})
    void should_name_the_role_when_a_stage_decides(Stage stage, String role) {
        assertEquals(role, JsonDecisionAudit.role(stage));
    }

    @Test
    void should_log_one_parseable_line_on_the_audit_logger_when_the_engine_decides() throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger(JsonDecisionAudit.LOGGER);
        captured = new ListAppender<>();
        captured.start();
        audit.addAppender(captured);

        PolicyEngine engine = new PolicyEngine(TestRules.shipped(), List.of(new JsonDecisionAudit()));
        Instant before = Instant.now();
        Decision d = engine.decide(TestRules.message(Stage.ORIGINATING_AUTHORIZATION, ALICE, BOB),
                List.of(new KnownSubscriber(ALICE, Party.SENDER, true, false)));

        List<ILoggingEvent> lines = captured.list;
        assertEquals(1, lines.size(), lines::toString);
        assertEquals(Level.INFO, lines.get(0).getLevel());
        String json = lines.get(0).getFormattedMessage();
        Map<String, Object> parsed = Json.parseObject(json);
        Instant time = Instant.parse((String) parsed.get("time"));
        assertFalse(time.isBefore(before), json);
        assertTrue(((String) parsed.get("time")).endsWith("Z"), json);
        assertEquals("PERMIT", parsed.get("verdict"));
        assertEquals(d.decidingRuleId(), parsed.get("rule"));
        assertEquals(TestRules.shipped().hash(), parsed.get("ruleset"));
        assertFalse(json.contains("bodyLength") || json.contains("contentType"), json);
    }

    /** A minimal strict JSON reader (objects, arrays, strings, integers, true/false/null): enough to check the lines. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> parseObject(String text) {
            Json p = new Json(text);
            Object v = p.value();
            if (p.i != text.length()) {
                throw new IllegalArgumentException("trailing text at " + p.i + ": " + text);
            }
            return (Map<String, Object>) v;
        }

        private Object value() {
            char c = peek();
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    if (peek() == '}') {
                        i++;
                        return m;
                    }
                    do {
                        String key = string();
                        expect(':');
                        if (m.put(key, value()) != null) {
                            throw error("duplicate key " + key);
                        }
                    } while (comma('}'));
                    return m;
                }
                case '[': {
                    i++;
                    List<Object> a = new ArrayList<>();
                    if (peek() == ']') {
                        i++;
                        return a;
                    }
                    do {
                        a.add(value());
                    } while (comma(']'));
                    return a;
                }
                case '"':
                    return string();
                default:
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    if (s.startsWith("true", i) || s.startsWith("false", i)) {
                        boolean b = s.startsWith("true", i);
                        i += b ? 4 : 5;
                        return b;
                    }
                    int start = i;
                    if (peek() == '-') {
                        i++;
                    }
                    while (i < s.length() && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                    if (start == i) {
                        throw error("unexpected character");
                    }
                    return Long.parseLong(s.substring(start, i));
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("raw control character in string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private boolean comma(char close) {
            char c = peek();
            i++;
            if (c == ',') {
                return true;
            }
            if (c == close) {
                return false;
            }
            throw error("expected , or " + close);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected " + c);
            }
            i++;
        }

        private char peek() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i);
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at " + i + ": " + s);
        }
    }
}
