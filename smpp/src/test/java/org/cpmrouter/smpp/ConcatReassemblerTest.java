package org.cpmrouter.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Reassembly of concatenated SMS: order, bound, expiry, and keeping a message until it is taken. */
class ConcatReassemblerTest {

    private final AtomicLong clock = new AtomicLong();
    private final ConcatReassembler reassembler = new ConcatReassembler(2, Duration.ofMinutes(10), clock::get);

    private static UserDataHeader.Concat part(int reference, int total, int sequence) {
        return new UserDataHeader.Concat(reference, total, sequence);
    }

    @Test
    void should_complete_a_message_whose_parts_arrive_out_of_order() {
        assertEquals(new ConcatReassembler.Pending(1, 3), reassembler.offer("a", part(7, 3, 3), "C"));
        assertEquals(new ConcatReassembler.Pending(2, 3), reassembler.offer("a", part(7, 3, 1), "A"));
        ConcatReassembler.Outcome whole = reassembler.offer("a", part(7, 3, 2), "B");
        assertEquals("ABC", assertInstanceOf(ConcatReassembler.Complete.class, whole).text());
    }

    @Test
    void should_keep_messages_of_different_senders_or_references_apart() {
        reassembler.offer("a", part(7, 2, 1), "a1");
        reassembler.offer("b", part(7, 2, 1), "b1");
        assertEquals("b1b2",
                assertInstanceOf(ConcatReassembler.Complete.class, reassembler.offer("b", part(7, 2, 2), "b2"))
                        .text());
    }

    @Test
    void should_refuse_a_new_message_when_the_buffer_is_full() {
        reassembler.offer("a", part(1, 2, 1), "x");
        reassembler.offer("b", part(1, 2, 1), "x");
        assertEquals(new ConcatReassembler.Full(2), reassembler.offer("c", part(1, 2, 1), "x"));
        // parts of messages already in reassembly are still taken
        assertInstanceOf(ConcatReassembler.Complete.class, reassembler.offer("a", part(1, 2, 2), "y"));
    }

    @Test
    void should_drop_a_message_whose_parts_do_not_all_arrive_before_the_expiry() {
        reassembler.offer("a", part(1, 2, 1), "x");
        clock.addAndGet(TimeUnit.MINUTES.toNanos(10));
        assertEquals(0, reassembler.pendingCount());
        assertEquals(new ConcatReassembler.Pending(1, 2), reassembler.offer("a", part(1, 2, 2), "y"));
    }

    @Test
    void should_complete_again_when_the_last_part_comes_again_before_release() {
        reassembler.offer("a", part(1, 2, 1), "x");
        ConcatReassembler.Complete first = assertInstanceOf(ConcatReassembler.Complete.class,
                reassembler.offer("a", part(1, 2, 2), "y"));
        // the receiver refused it for now; the SMSC sends the last part again
        ConcatReassembler.Complete again = assertInstanceOf(ConcatReassembler.Complete.class,
                reassembler.offer("a", part(1, 2, 2), "y"));
        assertEquals(first, again);
        reassembler.release(again.key());
        assertEquals(0, reassembler.pendingCount());
    }
}
