package org.cpmrouter.routes.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.cpmrouter.groupstore.ClusterNode;
import org.cpmrouter.groupstore.InMemoryPendingFanOutStore;
import org.cpmrouter.groupstore.PendingFanOut;
import org.cpmrouter.groupstore.PendingFanOutStore;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one fan-out both roles use, without routes: copies go to a mock core, the journal is in memory. A copy's slot
 * starts the next copy without waiting for the journal, which writes the answers of fan-outs still under way every
 * interval; the record goes after the last answer; a record whose owner is gone is
 * taken over by the role it belongs to (a URI list's here, a group's left to the group's fan-out) and sends only the
 * recipients nobody answered; a live owner's record is left alone; every answer is counted.
 */
class FanOutTest {

    private static final String LIST = "sip:exploder@cpm.example.com";
    private static final String FAMILY = "sip:family@cpm.example.com";
    private static final String ALICE = "sip:alice@cpm.example.com";
    private static final String BOB = "sip:bob@cpm.example.com";
    private static final String CAROL = "sip:carol@cpm.example.com";
    private static final String DAVE = "sip:dave@cpm.example.com";
    /** A node that left the cluster: no live incarnation has this id. */
    private static final String DEAD_OWNER = "router-b/3f9c2d4e-0000-0000-0000-000000000000";
    private static final long JOURNAL_INTERVAL_MS = 50;

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final InMemoryPendingFanOutStore journal = new InMemoryPendingFanOutStore();
    private final ExecutorService starter = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService journalWriter = Executors.newScheduledThreadPool(2);
    /** Copies to this recipient wait for {@link #daveMayAnswer} before the core answers them. */
    private final CountDownLatch daveMayAnswer = new CountDownLatch(1);
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    /** The recipient of each copy, in order. */
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private volatile boolean holdDave;
    private FanOut fanOut;

    @BeforeEach
    void start() throws Exception {
        context.start();
        MockEndpoint core = context.getEndpoint("mock:core", MockEndpoint.class);
        core.whenAnyExchangeReceived(e -> {
            String recipient = e.getMessage().getHeader(SipMessageConstants.REQUEST_URI, String.class);
            sent.add(recipient);
            if (DAVE.equals(recipient) && holdDave) {
                daveMayAnswer.await(5, TimeUnit.SECONDS);
            }
            e.getMessage().setHeader(SipMessageConstants.STATUS_CODE, DAVE.equals(recipient) ? 480 : 200);
        });
        // one copy at a time: the order of the copies is the record's, and each waits for the answer before it;
        // the journal writes the answers every 50 ms
        fanOut = fanOut(JOURNAL_INTERVAL_MS, journal);
        fanOut.start();
    }

    /** One copy at a time into the mock core, answers written to {@code store} every {@code intervalMs}. */
    private FanOut fanOut(long intervalMs, PendingFanOutStore store) {
        return new FanOut(context, "mock:core", starter, journalWriter, intervalMs, 1, store, null,
                ok -> (ok ? accepted : failed).incrementAndGet());
    }

    @AfterEach
    void stop() {
        fanOut.stop();
        starter.shutdownNow();
        journalWriter.shutdownNow();
        context.stop();
    }

    private static PendingFanOut message(String id, String origin, List<String> recipients, String owner) {
        return new PendingFanOut(id, origin, ALICE, List.of("Content-Type: text/plain"),
                "hello".getBytes(StandardCharsets.UTF_8), recipients, owner);
    }

    /** The copies of a list: from the sender. */
    private static final FanOut.Copies LIST_COPIES = new FanOut.Copies() {
        @Override
        public String kind() {
            return "list";
        }

        @Override
        public void address(Message copy, String recipient) {
            copy.setHeader("From", "<" + ALICE + ">");
        }

        @Override
        public String failure(String recipient, SipOutcome outcome) {
            return "URI list recipient answered " + outcome.status();
        }
    };

    /** This test's role: the URI-list service, whose records are those at its address. */
    private static final Function<PendingFanOut, Optional<FanOut.Copies>> LISTS_ONLY =
            record -> record.groupUri().equals(LIST) ? Optional.of(LIST_COPIES) : Optional.empty();

    @Test
    void should_record_the_answers_of_a_fan_out_under_way_and_remove_the_record_after_the_last() {
        holdDave = true;
        fanOut.start(message("call-1@client", LIST, List.of(BOB, CAROL, DAVE), ""), LIST_COPIES);

        // bob and carol answered; dave's copy is out and unanswered: within the interval the journal has them
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 3);
        assertEquals(List.of(BOB, CAROL, DAVE), sent, "each copy goes out once the one before it is answered");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> journal.all().stream()
                .map(PendingFanOut::recipients).toList().equals(List.of(List.of(DAVE))));

        daveMayAnswer.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> journal.all().isEmpty());
        assertEquals(2, accepted.get());
        assertEquals(1, failed.get(), "dave's 480");
    }

    @Test
    void should_write_no_answer_of_a_fan_out_that_ends_within_the_interval() throws Exception {
        CountingJournal counting = new CountingJournal();
        FanOut quick = fanOut(60_000, counting);
        quick.start();
        try {
            quick.start(message("call-5@client", LIST, List.of(BOB, CAROL, DAVE), ""), LIST_COPIES);

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> counting.all().isEmpty());
            assertEquals(List.of(BOB, CAROL, DAVE), sent);
            quick.stop();
            assertEquals(0, counting.answerWrites.get(), "the record went before a write was due; the stop had none");
        } finally {
            quick.stop();
        }
    }

    @Test
    void should_write_the_answers_not_yet_written_when_it_stops() {
        holdDave = true;
        FanOut slow = fanOut(60_000, journal);
        slow.start();
        slow.start(message("call-6@client", LIST, List.of(BOB, CAROL, DAVE), ""), LIST_COPIES);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 3);

        slow.stop();

        assertEquals(List.of(List.of(DAVE)), journal.all().stream().map(PendingFanOut::recipients).toList(),
                "bob and carol answered before the stop: the next start sends only dave's copy");
        daveMayAnswer.countDown();
    }

    /** An in-memory journal that counts its writes of answers. */
    private static final class CountingJournal implements PendingFanOutStore {
        final AtomicInteger answerWrites = new AtomicInteger();
        private final InMemoryPendingFanOutStore store = new InMemoryPendingFanOutStore();

        @Override
        public void save(PendingFanOut pending) {
            store.save(pending);
        }

        @Override
        public void answered(String id, String member) {
            answerWrites.incrementAndGet();
            store.answered(id, member);
        }

        @Override
        public void answered(Map<String, ? extends Collection<String>> answers) {
            answerWrites.incrementAndGet();
            store.answered(answers);
        }

        @Override
        public void remove(String id) {
            store.remove(id);
        }

        @Override
        public List<PendingFanOut> all() {
            return store.all();
        }

        @Override
        public Optional<PendingFanOut> takeOver(PendingFanOut orphan) {
            return store.takeOver(orphan);
        }

        @Override
        public ClusterNode node() {
            return store.node();
        }
    }

    @Test
    void should_take_over_a_dead_owners_list_record_and_send_only_what_nobody_answered() {
        journal.save(message("call-2@client", LIST, List.of(BOB, CAROL, DAVE), DEAD_OWNER));
        journal.answered("call-2@client", BOB); // bob answered before its node died

        fanOut.watchForOrphans(LISTS_ONLY);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> journal.all().isEmpty());
        assertEquals(List.of(CAROL, DAVE), sent, "bob is not sent the message again");
        assertEquals(1, accepted.get());
        assertEquals(1, failed.get());
    }

    @Test
    void should_leave_another_roles_orphan_and_a_live_owners_record_alone() throws Exception {
        PendingFanOut group = message("call-3@client", FAMILY, List.of(BOB, CAROL), DEAD_OWNER);
        PendingFanOut live = message("call-4@client", LIST, List.of(BOB), journal.node().owner());
        journal.save(group);
        journal.save(live);

        assertEquals(0, fanOut.takeOverOrphans(LISTS_ONLY));

        Thread.sleep(200);
        assertTrue(sent.isEmpty(), sent.toString());
        assertTrue(journal.all().contains(group), "the group's record waits for the group's fan-out");
        assertTrue(journal.all().contains(live), "a live node's record is its own");
    }
}
