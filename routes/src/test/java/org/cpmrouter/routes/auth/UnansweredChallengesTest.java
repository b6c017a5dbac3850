package org.cpmrouter.routes.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class UnansweredChallengesTest {

    private static final List<DigestAlgorithm> BOTH = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final UnansweredChallenges challenges = new UnansweredChallenges(now::get);
    private final Logger logger = (Logger) LoggerFactory.getLogger(UnansweredChallenges.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    @Test
    void should_report_a_client_that_never_answers_once_naming_what_it_was_offered_and_the_setting() {
        for (int attempt = 0; attempt < 3; attempt++) {
            challenges.challenged("192.0.2.7", "sip:alice@cpm.example.com", "baresip v1.0.0", "c" + attempt, BOTH);
            now.addAndGet(UnansweredChallenges.ANSWER_WINDOW_MS + 1_000);
            challenges.sweep(now.get());
        }

        assertEquals(1, logged.list.size(), logged.list.toString());
        String line = logged.list.get(0).getFormattedMessage();
        assertTrue(line.contains("callId=c0") && line.contains("192.0.2.7") && line.contains("baresip v1.0.0")
                && line.contains("sip:alice@cpm.example.com") && line.contains("[SHA-256, MD5]")
                && line.contains("cpm.auth.md5-only-user-agents"), line);
    }

    @Test
    void should_say_nothing_of_a_client_that_answers_within_the_window() {
        challenges.challenged("192.0.2.7", "sip:alice@cpm.example.com", "LinphoneCore/5.2", "c1", BOTH);
        now.addAndGet(2_000);
        challenges.answered("192.0.2.7", "sip:alice@cpm.example.com", "LinphoneCore/5.2");
        now.addAndGet(UnansweredChallenges.ANSWER_WINDOW_MS * 2);
        challenges.sweep(now.get());

        assertTrue(logged.list.isEmpty(), logged.list.toString());
    }

    @Test
    void should_wait_the_whole_window_before_calling_a_challenge_unanswered() {
        challenges.challenged("192.0.2.7", "sip:bob@cpm.example.com", null, "c1", List.of(DigestAlgorithm.MD5));
        now.addAndGet(UnansweredChallenges.ANSWER_WINDOW_MS - 1_000);
        challenges.sweep(now.get());
        assertTrue(logged.list.isEmpty(), logged.list.toString());

        now.addAndGet(2_000);
        challenges.sweep(now.get());
        assertEquals(1, logged.list.size());
        assertTrue(logged.list.get(0).getFormattedMessage().contains("User-Agent none"));
    }

    @Test
    void should_tell_clients_apart_by_host_identity_and_user_agent() {
        challenges.challenged("192.0.2.7", "sip:alice@cpm.example.com", "baresip", "c1", BOTH);
        challenges.challenged("192.0.2.8", "sip:alice@cpm.example.com", "baresip", "c2", BOTH);
        challenges.answered("192.0.2.7", "sip:alice@cpm.example.com", "baresip");
        now.addAndGet(UnansweredChallenges.ANSWER_WINDOW_MS + 1);
        challenges.sweep(now.get());

        assertEquals(1, logged.list.size());
        assertTrue(logged.list.get(0).getFormattedMessage().contains("192.0.2.8"));
    }
}
