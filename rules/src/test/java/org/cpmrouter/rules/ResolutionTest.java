package org.cpmrouter.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.cpmrouter.rules.facts.AddressType;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the engine reads a decision off several facts of one kind (the single-fact cases take a shortcut): the lowest
 * rule id wins among permits, among routes to one destination, among choices of one service, and among denials
 * (then the lowest status). Each scenario is picked by the content type of a RECIPIENT_DELIVERY message.
 */
class ResolutionTest {

    private static PolicyEngine engine;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        DrlFixtures.copy("several-decisions-of-a-kind.drl", dir);
        engine = new PolicyEngine(RuleCompiler.compile(dir), List.of());
    }

    private static Decision decide(String scenario) {
        MessageContext c = MessageContext.builder().callId("resolution-" + scenario).stage(Stage.RECIPIENT_DELIVERY)
                .sender(TestRules.ALICE).target(TestRules.BOB).contentType(scenario).bodyLength(5).build();
        return engine.decide(c, List.of());
    }

    @Test
    void severalPermitsPermitWithTheLowestIdAndOneAddressTypeIsReported() {
        Decision d = decide("permits");
        assertEquals(new Decision(Verdict.PERMIT, 0, "Permitted", null, AddressType.CPM_USER, "P-1", d.firedRuleIds(),
                d.ruleSetHash()), d);
    }

    @Test
    void severalRoutesToOneDestinationRouteWithTheLowestId() {
        Decision d = decide("routes");
        assertEquals(new Decision(Verdict.PERMIT, 0, "Routed to RECIPIENT_CLIENT", Destination.RECIPIENT_CLIENT, null,
                "R-1", d.firedRuleIds(), d.ruleSetHash()), d);
    }

    @Test
    void severalChoicesOfOneServiceChooseWithTheLowestIdAndTwoAddressTypesReportNone() {
        Decision d = decide("choices");
        assertEquals(new Decision(Verdict.PERMIT, 0, "Interworking via SMS", Destination.INTERWORKING, null, "S-1",
                d.firedRuleIds(), d.ruleSetHash(), "SMS"), d);
    }

    @Test
    void severalDenialsDenyWithTheLowestIdThenTheLowestStatus() {
        Decision d = decide("denials");
        assertEquals(new Decision(Verdict.DENY, 403, "Not allowed", null, null, "D-1", d.firedRuleIds(),
                d.ruleSetHash()), d);
    }
}
