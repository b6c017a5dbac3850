package org.cpmrouter.routes.sipcore;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.path.Leg;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.testsupport.RouteTestSupport;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.junit.jupiter.api.Test;

/**
 * Held messages on a clock the test turns: one that outlives {@code cpm.deferred.expiry} is removed and its sender,
 * who asked for negative delivery notifications, gets a {@code failed} IMDN with the original Message-ID; past
 * {@code cpm.deferred.max-per-recipient} the sender is refused with 480 and nothing more is held.
 */
class HeldMessagesTest extends RouteTestSupport {

    /** Where the reports to the sender enter the core. */
    private static final String CORE = "mock:core";

    private final AtomicLong now = new AtomicLong(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());

    @Override
    protected Map<String, String> settings() {
        return Map.of("cpm.deferred.max-per-recipient", "2", "cpm.deferred.expiry", "7d");
    }

    @Override
    protected List<RoutesBuilder> roleRoutes() {
        return List.of(new RecipientDeliveryRoute(policy, stores.registrations(), stores.deferred(),
                DeferredSettings.from(config), now::get, reports, metrics), new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(Hops.via(Hops.CORE_HOP)).routeId("core").to(CORE);
                    }
                });
    }

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, RecipientDeliveryRoute.DEVICE_ROUTE_ID,
                route -> route.weaveById("to-recipient-client").replace().to("mock:recipient-client"));
    }

    private Exchange aliceToOfflineCarol() {
        return atLeg(Leg.TERMINATING_DONE, "alice-to-carol-asking-reports", ALICE, CAROL);
    }

    private HeldMessages held() {
        return context.hasService(HeldMessages.class);
    }

    @Test
    void should_remove_an_expired_message_and_send_its_sender_a_failed_imdn_with_the_original_message_id()
            throws Exception {
        MockEndpoint core = answering(CORE, 200);
        core.expectedMessageCount(1); // stored (processing), asked for by alice
        assertPassed(202, List.of("DELIVER-020"), Hops.RECIPIENT_DELIVERY, aliceToOfflineCarol());
        assertTrue(reportBody(core, 0).contains("<stored/>"), () -> reportBody(core, 0));

        now.addAndGet(Duration.ofDays(7).minusMinutes(1).toMillis());
        held().sweep();
        assertEquals(1, stores.deferred().summary(CAROL).count(), "not yet expired");

        core.reset();
        answering(CORE, 200).expectedMessageCount(1);
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        held().sweep();

        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        assertEquals(0, stores.deferred().summary(CAROL).count(), "removed once expired");
        Exchange report = core.getReceivedExchanges().get(0);
        assertEquals(ALICE, report.getMessage().getHeader(SipMessageConstants.REQUEST_URI));
        String body = reportBody(core, 0);
        assertTrue(body.contains("<message-id>held-msg-1</message-id>"), body);
        assertTrue(body.contains("<failed/>"), body);
    }

    @Test
    void should_refuse_with_480_past_the_cap_per_recipient_and_hold_no_more() throws Exception {
        answering(CORE, 200);
        assertPassed(202, List.of("DELIVER-020"), Hops.RECIPIENT_DELIVERY, aliceToOfflineCarol());
        assertPassed(202, List.of("DELIVER-020"), Hops.RECIPIENT_DELIVERY, aliceToOfflineCarol());

        Exchange third = send(Hops.RECIPIENT_DELIVERY, aliceToOfflineCarol());

        assertEquals(new SipOutcome(480, "Temporarily Unavailable: too many messages held for the recipient"),
                outcome(third));
        assertEquals(2, stores.deferred().summary(CAROL).count());
    }

    private static String reportBody(MockEndpoint core, int index) {
        Object body = core.getReceivedExchanges().get(index).getMessage().getBody();
        return body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(body);
    }
}
