package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.OutgoingMessage;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clause 5.2.2.1 for a target that is a CPM Pre-defined Group, over real SIP on 127.0.0.1: the core routes
 * {@code sip:family@cpm.example.com} (the shipped demo group: alice, bob, carol) to the Controlling Function,
 * which authorizes the sender, answers 202 and sends one copy to each member but the sender through the member's
 * terminating Participating Function.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupMessagingIT {

    static final String FAMILY = "sip:family@cpm.example.com";

    @TempDir
    static Path dataDir;

    private RouterFixture fixture;
    private RouterFixture.Inbox alice;
    private RouterFixture.Inbox bob;
    private RouterFixture.Inbox carol;

    @BeforeAll
    void start() throws Exception {
        fixture = RouterFixture.start(dataDir);
        fixture.router.stores().subscribers().save(RouterFixture.withDemoPassword(
                new Subscriber("sip:dave@cpm.example.com", List.of(), true, false)));
        alice = fixture.registered("alice");
        bob = fixture.registered("bob");
        carol = fixture.registered("carol");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void should_accept_with_202_and_deliver_once_to_each_other_member_when_alice_sends_to_family() throws Exception {
        SendResult result = alice.client().send(new OutgoingMessage(FAMILY, "Dinner at 8", "conv-family-1", null,
                java.util.Map.of())).get(10, TimeUnit.SECONDS);
        assertEquals(202, result.status(), result.toString());

        for (RouterFixture.Inbox member : List.of(bob, carol)) {
            ReceivedMessage m = member.next();
            assertNotNull(m, "a member got nothing");
            assertEquals("Dinner at 8", m.text());
            assertEquals(RouterFixture.uri("alice"), m.sender());
            assertEquals(FAMILY, m.group());
            assertEquals("Family", m.groupName());
            assertEquals("<" + FAMILY + ">", m.header("P-Asserted-Identity").orElseThrow());
            assertEquals("conv-family-1", m.conversationId());
            assertTrue(m.header("P-Served-User").isEmpty() && m.header("P-CPM-Served-Leg").isEmpty());
            CpimMessage cpim = CpimMessage.parse(m.body());
            assertEquals(RouterFixture.uri("alice"), cpim.fromUri().orElseThrow(), "CPIM From is the original sender");
            assertEquals(FAMILY, cpim.toUri().orElseThrow(), "CPIM To is the group");
        }
        assertNull(bob.messages().poll(500, TimeUnit.MILLISECONDS), "bob got a second copy");
        assertNull(carol.messages().poll(10, TimeUnit.MILLISECONDS), "carol got a second copy");
        assertNull(alice.messages().poll(10, TimeUnit.MILLISECONDS), "the sender must not get her own copy");
    }

    @Test
    void should_pass_the_body_unchanged_to_every_member() throws Exception {
        SendResult result = bob.client().send(FAMILY, "Ünïcode ✓").get(10, TimeUnit.SECONDS);
        assertEquals(202, result.status());
        ReceivedMessage atAlice = alice.next();
        ReceivedMessage atCarol = carol.next();
        assertNotNull(atAlice);
        assertNotNull(atCarol);
        assertArrayEquals(atAlice.body(), atCarol.body());
        assertEquals("Ünïcode ✓", atCarol.text());
        assertEquals("sip:bob@cpm.example.com", atCarol.sender());
    }

    @Test
    void should_refuse_403_when_sender_is_not_a_member() throws Exception {
        SendResult result = fixture.client("dave").send(FAMILY, "let me in").get(10, TimeUnit.SECONDS);
        assertEquals(403, result.status(), result.toString());
        assertEquals("Sender is not a member of the group", result.reason());
        assertNull(bob.messages().poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void should_refuse_403_when_mallory_sends_to_the_group() throws Exception {
        SendResult result = fixture.client("mallory").send(FAMILY, "hi all").get(10, TimeUnit.SECONDS);
        assertEquals(403, result.status());
        assertNull(carol.messages().poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void should_answer_404_when_group_is_unknown() throws Exception {
        SendResult result = alice.client().send("sip:nosuchgroup@cpm.example.com", "anyone?").get(10, TimeUnit.SECONDS);
        assertEquals(404, result.status());
    }

    @Test
    void should_deliver_the_next_message_to_a_member_added_through_the_admin_api() throws Exception {
        RouterFixture.Inbox erin = registeredNewSubscriber("erin");
        String member = java.net.URLEncoder.encode(FAMILY, java.nio.charset.StandardCharsets.UTF_8);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> added = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fixture.adminPort + "/admin/groups/" + member + "/members"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"member\":\"sip:erin@cpm.example.com\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, added.statusCode(), added.body());
        try {
            assertEquals(202, alice.client().send(FAMILY, "welcome erin").get(10, TimeUnit.SECONDS).status());
            ReceivedMessage m = erin.next();
            assertNotNull(m, "the member added through the admin API got nothing");
            assertEquals("welcome erin", m.text());
            assertEquals("welcome erin", bob.next().text());
            assertEquals("welcome erin", carol.next().text());
        } finally {
            HttpResponse<String> removed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + fixture.adminPort + "/admin/groups/" + member + "/members/"
                    + java.net.URLEncoder.encode("sip:erin@cpm.example.com", java.nio.charset.StandardCharsets.UTF_8)))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, removed.statusCode(), removed.body());
        }
    }

    private RouterFixture.Inbox registeredNewSubscriber(String user) throws Exception {
        fixture.router.stores().subscribers().save(RouterFixture.withDemoPassword(
                new Subscriber(RouterFixture.uri(user), List.of(), true, false)));
        return fixture.registered(user);
    }

    @Test
    void should_still_deliver_to_the_others_when_one_member_is_unregistered() throws Exception {
        fixture.router.stores().groups().addMember(FAMILY, "sip:dave@cpm.example.com");
        try {
            SendResult result = alice.client().send(FAMILY, "dave is away").get(10, TimeUnit.SECONDS);
            assertEquals(202, result.status());
            assertEquals("dave is away", bob.next().text());
            assertEquals("dave is away", carol.next().text());
        } finally {
            fixture.router.stores().groups().removeMember(FAMILY, "sip:dave@cpm.example.com");
        }
    }
}
