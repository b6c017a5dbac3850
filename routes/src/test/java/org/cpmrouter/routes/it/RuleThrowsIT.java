package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.cpmrouter.client.SendResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * An operator's rule that throws, end to end: the shipped rules plus one whose consequence throws for messages to
 * bob. The sender gets 500, bob gets nothing (fail closed), and the decision line names the rule and the Call-ID.
 */
class RuleThrowsIT {

    private static final String BROKEN_RULE = RouterFixture.drlFixture("throwing-consequence.drl");

    @TempDir
    Path dataDir;
    @TempDir
    Path rulesDir;

    @Test
    void should_answer_500_deliver_nothing_and_log_the_rule_id_when_a_rule_throws() throws Exception {
        try (var shipped = Files.list(RouterFixture.home().resolve("rules"))) {
            for (Path drl : shipped.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(drl, rulesDir.resolve(drl.getFileName()));
            }
        }
        Files.writeString(rulesDir.resolve("operator-bug.drl"), BROKEN_RULE);
        Logger decisions = (Logger) LoggerFactory.getLogger("org.cpmrouter.rules.PolicyEngine");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        decisions.addAppender(logged);
        try (RouterFixture router = RouterFixture.start(dataDir, RouterFixture.freePort(),
                Map.of("cpm.rules.dir", rulesDir.toString(), "cpm.rules.watch", "false"))) {
            RouterFixture.Inbox bob = router.registered("bob");
            SendResult result = router.client("alice").send(RouterFixture.uri("bob"), "x").get(20, TimeUnit.SECONDS);
            assertEquals(500, result.status(), result.toString());
            assertNull(bob.messages().poll(300, TimeUnit.MILLISECONDS), "a message a rule failed on is not delivered");
            List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertTrue(lines.stream().anyMatch(line -> line.contains("callId=" + result.callId())
                    && line.contains("status=500") && line.contains("TEST-500")), String.join("\n", lines));
        } finally {
            decisions.detachAppender(logged);
        }
    }
}
