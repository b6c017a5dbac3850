package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.groupstore.CpmDataStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The startup warm-up (cpm.startup.warm-up, on in the shipped configuration): MESSAGEs go through the router's own
 * SIP path before it is ready, over UDP and TCP in and out, with digest authentication on as shipped, every one
 * answered 200 (so none was delivered over TCP and then held), and leave nothing behind: no subscriber,
 * binding or held message of its throwaway identities, no audit line of its Call-IDs, no trust of its client.
 */
class StartupWarmUpIT {

    @TempDir
    Path dataDir;

    @Test
    void should_warm_the_sip_path_and_leave_no_trace_in_the_stores_or_the_audit() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger("org.cpmrouter.routes.StartupWarmUp");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try (RouterFixture fixture = RouterFixture.start(dataDir, RouterFixture.freePort(),
                Map.of("cpm.startup.warm-up", "true", "cpm.startup.warm-up-ms", "800"))) {
            String summary = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.startsWith("warm-up: ")).findFirst().orElseThrow();
            Matcher counts = Pattern.compile("warm-up: (\\d+) MESSAGEs .* \\((\\d+) answered 200, (\\d+) other, (\\d+) "
                    + "unanswered\\)").matcher(summary);
            assertTrue(counts.find(), summary);
            assertTrue(summary.contains("on loopback (UDP and TCP)"), "over both shipped transports: " + summary);
            assertTrue(Integer.parseInt(counts.group(1)) > 0, summary);
            assertEquals(counts.group(1), counts.group(2), "every warm-up MESSAGE delivered and answered 200: " + summary);

            CpmDataStores stores = fixture.router.stores();
            assertTrue(stores.subscribers().list().stream().noneMatch(s -> s.publicIdentity().contains("cpm-warm-up")),
                    "throwaway subscribers removed");
            assertTrue(stores.deferred().recipients().stream().noneMatch(r -> r.contains("cpm-warm-up")),
                    "nothing held for them");
            String tag = summary.replaceAll(".*\\(Call-IDs (cpm-warm-up-[0-9a-f]+)-[0-9a-f]+-N\\).*", "$1");
            assertTrue(tag.matches("cpm-warm-up-[0-9a-f]+"), summary);
            for (String recipient : List.of("-b@", "-c@")) {
                assertTrue(stores.registrations().activeBindings("sip:" + tag + recipient + RouterFixture.DOMAIN)
                        .isEmpty(), "binding of " + recipient + " removed");
            }

            // traffic after the warm-up: decided, audited and delivered as ever (digest on: the demo password)
            RouterFixture.Inbox bob = fixture.registered("bob");
            SendResult sent = fixture.client("alice").send(RouterFixture.uri("bob"), "after the warm-up")
                    .get(10, TimeUnit.SECONDS);
            assertEquals(200, sent.status(), sent.toString());
            List<String> audit = AuditLog.awaitLines(dataDir.resolve("audit/decisions.jsonl"),
                    line -> line.contains("RECIPIENT_DELIVERY"));
            assertFalse(audit.isEmpty());
            assertFalse(Files.readString(dataDir.resolve("audit/decisions.jsonl")).contains("cpm-warm-up"),
                    "no audit line of the warm-up's traffic");
            assertTrue(bob.next() != null);
        } finally {
            log.detachAppender(lines);
        }
    }
}
