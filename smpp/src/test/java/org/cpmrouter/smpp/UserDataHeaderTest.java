package org.cpmrouter.smpp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The concatenation header as written and as read. */
class UserDataHeaderTest {

    @Test
    void should_write_the_8bit_reference_header_before_the_payload() {
        byte[] message = UserDataHeader.withConcat(0xAB, 3, 2, new byte[] {0x41, 0x42});
        assertArrayEquals(new byte[] {0x05, 0x00, 0x03, (byte) 0xAB, 0x03, 0x02, 0x41, 0x42}, message);
    }

    @Test
    void should_read_back_what_it_writes() {
        UserDataHeader.Parsed parsed = UserDataHeader.parse(UserDataHeader.withConcat(200, 4, 4, new byte[] {7}));
        assertEquals(new UserDataHeader.Concat(200, 4, 4), parsed.concat());
        assertArrayEquals(new byte[] {7}, parsed.payload());
    }

    @Test
    void should_read_the_16bit_reference_header_and_skip_other_elements() {
        // UDHL 10: an unknown element (IEI 0x24, 1 octet), then 16-bit concatenation ref 0x1234, part 1 of 2
        byte[] message = {0x09, 0x24, 0x01, 0x00, 0x08, 0x04, 0x12, 0x34, 0x02, 0x01, 0x61};
        UserDataHeader.Parsed parsed = UserDataHeader.parse(message);
        assertEquals(new UserDataHeader.Concat(0x1234, 2, 1), parsed.concat());
        assertArrayEquals(new byte[] {0x61}, parsed.payload());
    }

    @Test
    void should_give_no_concatenation_for_a_header_without_one() {
        UserDataHeader.Parsed parsed = UserDataHeader.parse(new byte[] {0x03, 0x24, 0x01, 0x00, 0x61});
        assertNull(parsed.concat());
        assertArrayEquals(new byte[] {0x61}, parsed.payload());
    }

    @Test
    void should_refuse_a_header_that_runs_past_the_message_or_a_part_out_of_range() {
        assertThrows(IllegalArgumentException.class, () -> UserDataHeader.parse(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> UserDataHeader.parse(new byte[] {0x05, 0x00, 0x03}));
        assertThrows(IllegalArgumentException.class,
                () -> UserDataHeader.parse(new byte[] {0x05, 0x00, 0x04, 0x01, 0x02, 0x01}));
        assertThrows(IllegalArgumentException.class,
                () -> UserDataHeader.parse(new byte[] {0x05, 0x00, 0x03, 0x01, 0x02, 0x03}));
        assertThrows(IllegalArgumentException.class, () -> UserDataHeader.withConcat(1, 2, 3, new byte[0]));
    }
}
