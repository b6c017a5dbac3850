package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link SmsReceiptStore} must have; subclasses supply the implementation over {@link #clock}. */
abstract class SmsReceiptStoreContract {

    final MutableClock clock = MutableClock.atSomeInstant();
    SmsReceiptStore store;

    abstract SmsReceiptStore createStore();

    @BeforeEach
    void createEmptyStore() {
        store = createStore();
    }

    AwaitedSmsReceipt sms(String messageId, String... smscIds) {
        return new AwaitedSmsReceipt("call-" + messageId, "sip:alice@cpm.example.com", "tel:+15559990000", messageId,
                List.of("positive-delivery", "negative-delivery"), "2030-01-01T00:00:00Z", List.of(smscIds),
                clock.millis() + Duration.ofDays(7).toMillis());
    }

    @Test
    void should_give_the_message_back_once_when_its_receipt_says_delivered() {
        AwaitedSmsReceipt one = sms("m1", "0A");
        store.expect(one);

        assertEquals(Optional.of(one), store.settle("0A", true));
        assertEquals(Optional.empty(), store.settle("0A", true), "a second receipt reports nothing more");
    }

    @Test
    void should_know_nothing_of_an_id_it_was_never_given() {
        store.expect(sms("m1", "0A"));

        assertEquals(Optional.empty(), store.settle("0B", false));
        assertEquals("m1", store.settle("0A", false).orElseThrow().messageId(), "other messages are untouched");
    }

    @Test
    void should_settle_a_message_in_parts_when_its_last_part_is_delivered() {
        AwaitedSmsReceipt parts = sms("m2", "01", "02", "03");
        store.expect(parts);

        assertEquals(Optional.empty(), store.settle("02", true));
        assertEquals(Optional.empty(), store.settle("01", true));
        assertEquals(Optional.empty(), store.settle("02", true), "a repeated receipt of a part changes nothing");
        assertEquals(Optional.of(parts), store.settle("03", true));
        assertEquals(Optional.empty(), store.settle("01", true));
    }

    @Test
    void should_settle_a_message_in_parts_at_its_first_failed_part_and_ignore_the_others() {
        AwaitedSmsReceipt parts = sms("m3", "11", "12");
        store.expect(parts);

        assertEquals(Optional.of(parts), store.settle("12", false));
        assertEquals(Optional.empty(), store.settle("11", true));
        assertEquals(Optional.empty(), store.settle("11", false));
    }

    @Test
    void should_forget_a_message_whose_receipt_comes_after_it_expired() {
        store.expect(sms("m4", "21"));
        clock.advance(Duration.ofDays(7).plusSeconds(1));

        assertEquals(Optional.empty(), store.settle("21", true));
    }

    @Test
    void should_report_a_message_once_when_the_receipts_of_all_its_parts_come_at_once() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add("P" + i);
        }
        store.expect(sms("m5", ids.toArray(String[]::new)));
        List<Callable<Optional<AwaitedSmsReceipt>>> receipts = new ArrayList<>();
        for (String id : ids) {
            receipts.add(() -> store.settle(id, true));
        }

        List<Optional<AwaitedSmsReceipt>> settled = Concurrently.run(8, receipts);

        assertEquals(1, settled.stream().filter(Optional::isPresent).count(), settled::toString);
        assertTrue(ids.stream().allMatch(id -> store.settle(id, true).isEmpty()));
    }
}
