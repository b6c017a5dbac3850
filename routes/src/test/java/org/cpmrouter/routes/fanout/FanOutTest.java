package org.cpmrouter.routes.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.cpmrouter.groupstore.InMemoryPendingFanOutStore;
import org.cpmrouter.groupstore.PendingFanOut;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one fan-out both roles use, without routes: copies go to a mock core, the journal is in memory. Each answer is
 * recorded before its slot starts the next copy, the record goes after the last; a record whose owner is gone is
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

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final InMemoryPendingFanOutStore journal = new InMemoryPendingFanOutStore();
    private final ExecutorService starter = Executors.newFixedThreadPool(2);
    private final ExecutorService journalWriter = Executors.newFixedThreadPool(2);
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    /** The recipient of each copy, in order, and what the journal still owed when it was sent. */
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<List<String>> owedWhenSent = new CopyOnWriteArrayList<>();
    private FanOut fanOut;

    @BeforeEach
    void start() throws Exception {
        context.start();
        MockEndpoint core = context.getEndpoint("mock:core", MockEndpoint.class);
        core.whenAnyExchangeReceived(e -> {
            String recipient = e.getMessage().getHeader(SipMessageConstants.REQUEST_URI, String.class);
            sent.add(recipient);
            owedWhenSent.add(journal.all().stream().findFirst().map(PendingFanOut::recipients).orElse(List.of()));
            e.getMessage().setHeader(SipMessageConstants.STATUS_CODE, DAVE.equals(recipient) ? 480 : 200);
        });
        // one copy at a time: the order of the copies is the record's, and each waits for the answer before it
        fanOut = new FanOut(context, "mock:core", starter, journalWriter, 1, journal, null,
                ok -> (ok ? accepted : failed).incrementAndGet());
        fanOut.start();
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
    void should_record_each_answer_before_the_next_copy_and_remove_the_record_after_the_last() {
        fanOut.start(message("call-1@client", LIST, List.of(BOB, CAROL, DAVE), ""), LIST_COPIES);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> journal.all().isEmpty());
        assertEquals(List.of(BOB, CAROL, DAVE), sent);
        assertEquals(List.of(List.of(BOB, CAROL, DAVE), List.of(CAROL, DAVE), List.of(DAVE)), owedWhenSent,
                "each copy goes out once the one before it is recorded as answered");
        assertEquals(2, accepted.get());
        assertEquals(1, failed.get(), "dave's 480");
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
