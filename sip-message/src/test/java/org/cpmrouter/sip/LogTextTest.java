package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** What {@link LogText} escapes and what it keeps. */
class LogTextTest {

    @Test
    void should_keep_printable_text_as_the_same_string_when_there_is_nothing_to_escape() {
        String callId = "a84b4c76e66710@pc33.atlanta.com";
        assertSame(callId, LogText.of(callId));
        String display = "\"Alïce Østergaard 中\" <sip:alice@cpm.example.com>;tag=u8";
        assertSame(display, LogText.of(display));
    }

    @Test
    void should_escape_c0_del_and_c1_controls_as_hex_when_a_value_holds_them() {
        assertEquals("nul\\x00esc\\x1b[31mbell\\x07del\\x7fc1\\x85\\x9b", LogText.of(
                "nul\u0000esc\u001b[31mbell\u0007del\u007fc1\u0085\u009b"));
    }

    @Test
    void should_escape_line_ends_and_tabs_so_that_a_value_cannot_start_a_log_line_of_its_own() {
        assertEquals("a\\r\\nINFO forged\\tline", LogText.of("a\r\nINFO forged\tline"));
    }

    @Test
    void should_double_a_backslash_so_that_an_escape_always_means_an_escaped_character() {
        assertEquals("\\\\x00 is text, \\x00 is a NUL", LogText.of("\\x00 is text, \u0000 is a NUL"));
    }

    @Test
    void should_escape_unicode_format_characters_separators_and_lone_surrogates() {
        assertEquals("abc\\u202egnp.exe \\u2028 \\u200b \\ud800 \\U000e0041", LogText.of(
                "abc\u202egnp.exe \u2028 \u200b \ud800 \udb40\udc41"));
    }

    @Test
    void should_keep_emoji_and_other_surrogate_pairs_that_are_letters_or_symbols() {
        String text = "smile \ud83d\ude00 ok";
        assertSame(text, LogText.of(text));
    }

    @Test
    void should_print_a_dash_for_null_and_the_text_of_any_other_object() {
        assertEquals("-", LogText.of(null));
        assertEquals("java.lang.IllegalStateException: bad\\x00", LogText.of(new IllegalStateException("bad\u0000")));
    }

    @Test
    void should_keep_line_feeds_tabs_and_backslashes_of_a_whole_message_when_escaping_its_controls() {
        assertEquals("rules refused:\n\tfile.drl:3: \\x1b[2J", LogText.escapeControls(
                "rules refused:\n\tfile.drl:3: \u001b[2J"));
        String escapedBefore = "callId=" + LogText.of("a\u0000b\\c") + " refused";
        assertSame(escapedBefore, LogText.escapeControls(escapedBefore), "escaped once, not twice");
        assertEquals(null, LogText.escapeControls(null));
    }

    @Test
    void should_leave_no_control_character_in_any_text() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < 40; j++) {
                text.append((char) random.nextInt(random.nextBoolean() ? 0x100 : 0x10000));
            }
            String escaped = LogText.of(text.toString());
            assertTrue(escaped.codePoints().noneMatch(c -> {
                int type = Character.getType(c);
                return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            }), escaped);
        }
    }
}
