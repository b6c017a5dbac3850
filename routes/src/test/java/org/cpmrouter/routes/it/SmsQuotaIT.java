package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.cpmrouter.sip.SecurityEvents;
import org.cpmrouter.smpp.testpeer.SmscTestPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The SMS quota of sms-quota.drl over real SIP and SMPP on 127.0.0.1, set by editing the rule file as an operator
 * does: with the hourly quota at 10, alice's 11th SMS of the hour is refused with 403 naming the quota, the SMSC
 * gets 10, and bob, whose SMS are his own, still gets his through.
 */
class SmsQuotaIT {

    @TempDir
    Path dir;

    @Test
    void should_refuse_the_11th_sms_of_an_hour_when_the_hourly_quota_is_10() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        try (var shipped = Files.list(RouterFixture.home().resolve("rules"))) {
            for (Path drl : shipped.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(drl, rules.resolve(drl.getFileName()));
            }
        }
        String quota = Files.readString(rules.resolve("sms-quota.drl"));
        Files.writeString(rules.resolve("sms-quota.drl"), quota.replace("lastHour >= 50", "lastHour >= 10")
                .replace("(50 per hour)", "(10 per hour)"));
        ListAppender<ILoggingEvent> security = new ListAppender<>();
        security.start();
        Logger securityLog = (Logger) LoggerFactory.getLogger(SecurityEvents.LOGGER);
        securityLog.addAppender(security);
        try (SmscTestPeer smsc = SmscTestPeer.start("127.0.0.1", 0, "cpmrouter", "secret");
             RouterFixture fixture = RouterFixture.start(dir.resolve("data"), RouterFixture.freePort(), Map.of(
                     "cpm.rules.dir", rules.toString(), "cpm.rules.watch", "false",
                     "cpm.smsc.embedded-test-peer", "false", "cpm.smsc.port", Integer.toString(smsc.port()),
                     "cpm.smsc.reconnect-delay-ms", "200"))) {
            var alice = fixture.client("alice");
            for (int i = 1; i <= 10; i++) {
                SendResult sms = alice.send("tel:+15559990000", "sms " + i).get(10, TimeUnit.SECONDS);
                assertEquals(202, sms.status(), "SMS " + i + ": " + sms);
            }

            SendResult eleventh = alice.send("tel:+15559990000", "sms 11").get(10, TimeUnit.SECONDS);

            assertEquals(403, eleventh.status(), eleventh.toString());
            assertEquals("SMS Quota Exceeded (10 per hour)", eleventh.reason());
            smsc.awaitSubmitted(s -> s.text().equals("sms 10"), 5000);
            assertEquals(10, smsc.submitted().stream().filter(s -> s.text().startsWith("sms ")).count());
            assertEquals(202, fixture.client("bob").send("tel:+15559990000", "bob's own").get(10, TimeUnit.SECONDS)
                    .status(), "another sender's quota is untouched");
            List<String> lines = security.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("security: refused source=127.0.0.1 reason=sms-quota "
                    + "status=403 user=sip:alice@cpm.example.com callId=" + eleventh.callId())), String.join("\n", lines));
        } finally {
            securityLog.detachAppender(security);
        }
    }
}
