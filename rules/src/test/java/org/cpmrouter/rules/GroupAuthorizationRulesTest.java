package org.cpmrouter.rules;

import static org.cpmrouter.rules.DecisionAssertions.assertDenied;
import static org.cpmrouter.rules.DecisionAssertions.assertPermitted;
import static org.cpmrouter.rules.TestRules.ALICE;
import static org.cpmrouter.rules.TestRules.BOB;
import static org.cpmrouter.rules.TestRules.message;

import java.util.ArrayList;
import java.util.List;

import org.cpmrouter.rules.facts.AllowedSender;
import org.cpmrouter.rules.facts.GroupMember;
import org.cpmrouter.rules.facts.GroupSendPolicy;
import org.cpmrouter.rules.facts.KnownGroup;
import org.cpmrouter.rules.facts.KnownSubscriber;
import org.cpmrouter.rules.facts.Party;
import org.cpmrouter.rules.facts.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** group-authorization.drl: one test per rule id. */
class GroupAuthorizationRulesTest {

    private static final String FAMILY = "sip:family@cpm.example.net";
    private static PolicyEngine engine;

    @BeforeAll
    static void compileShippedRules() throws RuleCompilationException {
        engine = new PolicyEngine(TestRules.shipped());
    }

    private static Decision decide(String sender, Object... facts) {
        return engine.decide(message(Stage.CONTROLLING_AUTHORIZATION, sender, FAMILY), new ArrayList<>(List.of(facts)));
    }

    private static KnownGroup group(GroupSendPolicy policy, boolean cpm) {
        return new KnownGroup(FAMILY, "Family", policy, cpm);
    }

    @Test
    void GROUP_010_should_deny_404_when_group_is_unknown() {
        assertDenied(decide(ALICE, new GroupMember(FAMILY, ALICE)), 404, "GROUP-010", "GROUP-081");
    }

    @Test
    void GROUP_020_should_deny_403_when_group_offers_no_cpm_messaging() {
        assertDenied(decide(ALICE, group(GroupSendPolicy.MEMBERS_ONLY, false), new GroupMember(FAMILY, ALICE)),
                403, "GROUP-020");
    }

    @Test
    void GROUP_030_should_deny_403_when_sender_is_not_a_member_of_a_members_only_group() {
        assertDenied(decide(BOB, group(GroupSendPolicy.MEMBERS_ONLY, true), new GroupMember(FAMILY, ALICE)),
                403, "GROUP-030", "GROUP-081");
    }

    @Test
    void GROUP_040_should_deny_403_when_sender_is_not_on_the_allow_list() {
        assertDenied(decide(BOB, group(GroupSendPolicy.ALLOW_LIST, true), new GroupMember(FAMILY, BOB),
                new AllowedSender(FAMILY, ALICE)), 403, "GROUP-040", "GROUP-082", "GROUP-081");
    }

    @Test
    void GROUP_050_should_deny_403_when_sender_is_not_a_subscriber_for_a_domain_group() {
        assertDenied(decide(BOB, group(GroupSendPolicy.DOMAIN_SUBSCRIBERS, true),
                new KnownSubscriber(ALICE, Party.SENDER, true, false)), 403, "GROUP-050", "GROUP-083");
    }

    @Test
    void GROUP_081_should_permit_a_member_of_a_members_only_group() {
        assertPermitted(decide(ALICE, group(GroupSendPolicy.MEMBERS_ONLY, true), new GroupMember(FAMILY, ALICE)),
                null, "GROUP-081", "GROUP-030");
    }

    @Test
    void GROUP_082_should_permit_a_sender_on_the_allow_list() {
        assertPermitted(decide(BOB, group(GroupSendPolicy.ALLOW_LIST, true), new AllowedSender(FAMILY, BOB)),
                null, "GROUP-082", "GROUP-040");
    }

    @Test
    void GROUP_083_should_permit_a_subscriber_to_send_to_a_domain_group() {
        assertPermitted(decide(BOB, group(GroupSendPolicy.DOMAIN_SUBSCRIBERS, true),
                new KnownSubscriber(BOB, Party.SENDER, true, false)), null, "GROUP-083", "GROUP-050");
    }

    @Test
    void should_deny_when_policy_permits_but_group_has_no_cpm_messaging() {
        // deny wins: GROUP-081 fires, GROUP-020 decides
        assertDenied(decide(ALICE, group(GroupSendPolicy.MEMBERS_ONLY, false), new GroupMember(FAMILY, ALICE)),
                403, "GROUP-020");
    }
}
