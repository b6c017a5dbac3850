package org.cpmrouter.smpp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Alphabet choice, septet counting, segmentation and the octets on the wire. */
class SmsTextTest {

    private static final String EMOJI = "\uD83D\uDE00"; // U+1F600, a surrogate pair

    @Test
    void should_choose_gsm7_when_every_character_is_in_the_default_alphabet_or_its_extension() {
        assertEquals(SmsEncoding.GSM7, SmsText.encodingFor("Hello @ £5, è Δ ß ¿? {x} [y] ~|^ \\ €"));
        assertTrue(SmsText.isGsm7("line\nnext\r\f"));
    }

    @Test
    void should_choose_ucs2_when_a_character_has_no_gsm_code() {
        assertEquals(SmsEncoding.UCS2, SmsText.encodingFor("Привет"));
        assertEquals(SmsEncoding.UCS2, SmsText.encodingFor("Καλημέρα")); // small Greek letters are not in GSM
        assertEquals(SmsEncoding.UCS2, SmsText.encodingFor("back`tick"));
        assertEquals(SmsEncoding.UCS2, SmsText.encodingFor("smile " + EMOJI));
        assertFalse(SmsText.isGsm7("\u001B")); // the escape itself is not a character
    }

    @Test
    void should_count_extension_characters_as_two_septets_and_send_them_after_an_escape() {
        assertEquals(6, SmsText.septetCount("€[]"));
        assertArrayEquals(new byte[] {0x1B, 0x65, 0x1B, 0x3C, 0x1B, 0x3E}, SmsText.encode("€[]", SmsEncoding.GSM7));
        assertArrayEquals(new byte[] {0x00, 0x01, 0x02, 0x11, 0x24, 0x40, 0x41}, SmsText.encode("@£$_¤¡A",
                SmsEncoding.GSM7));
    }

    @Test
    void should_keep_160_septets_in_one_sms_and_split_161_into_two_parts() {
        SmsText.Split single = SmsText.split("a".repeat(160));
        assertEquals(1, single.segments().size());
        assertFalse(single.concatenated());

        SmsText.Split split = SmsText.split("a".repeat(161));
        assertEquals(SmsEncoding.GSM7, split.encoding());
        assertEquals(List.of("a".repeat(153), "a".repeat(8)), split.segments());
    }

    @Test
    void should_count_an_extension_character_against_the_160_septet_limit() {
        assertEquals(1, SmsText.split("a".repeat(158) + "€").segments().size());
        assertEquals(2, SmsText.split("a".repeat(159) + "€").segments().size());
    }

    @Test
    void should_keep_70_ucs2_units_in_one_sms_and_split_71_into_two_parts() {
        assertEquals(1, SmsText.split("Ж".repeat(70)).segments().size());
        SmsText.Split split = SmsText.split("Ж".repeat(71));
        assertEquals(SmsEncoding.UCS2, split.encoding());
        assertEquals(List.of("Ж".repeat(67), "Ж".repeat(4)), split.segments());
    }

    @Test
    void should_never_split_a_surrogate_pair_across_parts() {
        String text = "Ж".repeat(66) + EMOJI + "Ж".repeat(10);
        SmsText.Split split = SmsText.split(text);
        assertEquals(List.of("Ж".repeat(66), EMOJI + "Ж".repeat(10)), split.segments());
        for (String segment : split.segments()) {
            assertTrue(segment.length() <= SmsText.UCS2_SEGMENT);
            assertFalse(Character.isHighSurrogate(segment.charAt(segment.length() - 1)), segment);
            assertFalse(Character.isLowSurrogate(segment.charAt(0)), segment);
        }
    }

    @Test
    void should_count_a_character_outside_the_bmp_as_two_ucs2_units() {
        assertEquals(1, SmsText.split(EMOJI.repeat(35)).segments().size());
        assertEquals(2, SmsText.split(EMOJI.repeat(36)).segments().size());
    }

    @Test
    void should_never_split_an_escape_pair_across_parts() {
        String text = "a".repeat(152) + "€" + "a".repeat(10);
        SmsText.Split split = SmsText.split(text);
        assertEquals(List.of("a".repeat(152), "€" + "a".repeat(10)), split.segments());
    }

    @Test
    void should_send_a_400_character_text_as_three_gsm7_parts() {
        String text = "0123456789".repeat(40);
        SmsText.Split split = SmsText.split(text);
        assertEquals(SmsEncoding.GSM7, split.encoding());
        assertEquals(3, split.segments().size());
        assertEquals(List.of(153, 153, 94), split.segments().stream().map(String::length).toList());
        assertEquals(text, String.join("", split.segments()));
    }

    @Test
    void should_refuse_an_empty_text_and_one_that_needs_more_than_255_parts() {
        assertThrows(IllegalArgumentException.class, () -> SmsText.split(""));
        assertEquals(255, SmsText.split("a".repeat(255 * 153)).segments().size());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> SmsText.split("a".repeat(255 * 153 + 1)));
        assertTrue(tooLong.getMessage().contains("256 parts"), tooLong.getMessage());
    }

    @Test
    void should_round_trip_every_character_of_the_gsm_alphabet() {
        StringBuilder all = new StringBuilder();
        for (int code = 0; code < 128; code++) {
            if (code != 0x1B) {
                all.append(SmsText.decodeGsm7(new byte[] {(byte) code}));
            }
        }
        all.append("\f^{}\\[~]|€");
        String text = all.toString();
        assertEquals(127 + 10, text.length(), "127 basic characters and 10 extension characters, all distinct");
        assertEquals(text.length(), text.chars().distinct().count());
        assertTrue(SmsText.isGsm7(text));
        assertEquals(text, SmsText.decode(SmsText.encode(text, SmsEncoding.GSM7), 0x00));
    }

    @Test
    void should_send_ucs2_as_utf16be_with_surrogate_pairs() {
        String text = "Καλημέρα " + EMOJI;
        byte[] octets = SmsText.encode(text, SmsEncoding.UCS2);
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_16BE), octets);
        assertEquals(text, SmsText.decode(octets, 0x08));
    }

    @Test
    void should_decode_ascii_latin1_and_gsm7_with_a_message_class() {
        assertEquals("Hello", SmsText.decode("Hello".getBytes(StandardCharsets.US_ASCII), 0x01));
        assertEquals("Grüße", SmsText.decode("Grüße".getBytes(StandardCharsets.ISO_8859_1), 0x03));
        assertEquals("Hi €", SmsText.decode(SmsText.encode("Hi €", SmsEncoding.GSM7), 0xF1));
    }

    @Test
    void should_read_an_unknown_escape_as_the_basic_character_and_drop_a_trailing_escape() {
        assertEquals("A", SmsText.decodeGsm7(new byte[] {0x1B, 0x41}));
        assertEquals("ab", SmsText.decodeGsm7(new byte[] {0x61, 0x62, 0x1B}));
    }

    @Test
    void should_refuse_what_it_cannot_decode() {
        IllegalArgumentException dcs = assertThrows(IllegalArgumentException.class,
                () -> SmsText.decode(new byte[] {1}, 0x04));
        assertTrue(dcs.getMessage().contains("data_coding 0x04"), dcs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SmsText.decode(new byte[] {(byte) 0x80}, 0x00));
        assertThrows(IllegalArgumentException.class, () -> SmsText.decode(new byte[] {0, 0x41, 0}, 0x08));
        assertThrows(IllegalArgumentException.class, () -> SmsText.decode(new byte[] {(byte) 0xE9}, 0x01));
    }
}
