package org.cpmrouter.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.sip.cpim.CpimMessage;
import org.junit.jupiter.api.Test;

/** Two clients over real UDP on 127.0.0.1, alice using bob's client as her "proxy": what goes on the wire. */
class CpmClientTest {

    @Test
    void should_send_cpim_with_cpm_headers_and_get_200_when_peer_is_a_client() throws Exception {
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        try (CpmClient bob = CpmClient.start(ClientConfig.of("sip:bob@cpm.example.com", "127.0.0.1", 9))) {
            bob.onMessage(inbox::add);
            int bobPort = Integer.parseInt(bob.contact().replaceAll(".*:(\\d+).*", "$1"));
            try (CpmClient alice = CpmClient.start(ClientConfig.of("sip:alice@cpm.example.com", "127.0.0.1", bobPort))) {
                SendResult result = alice.send("sip:bob@cpm.example.com", "Grüße").get(10, TimeUnit.SECONDS);
                assertEquals(200, result.status());
            }
            ReceivedMessage m = inbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(m);
            assertEquals("Grüße", m.text());
            assertEquals("sip:alice@cpm.example.com", m.sender());
            assertEquals("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg", m.header("P-Preferred-Service").orElseThrow());
            assertEquals("<sip:alice@cpm.example.com>", m.header("P-Preferred-Identity").orElseThrow());
            assertNotNull(m.conversationId());
            assertNotNull(m.contributionId());
            assertEquals("message/cpim", m.header("Content-Type").orElseThrow());
            CpimMessage cpim = CpimMessage.parse(m.body());
            assertEquals("sip:bob@cpm.example.com", cpim.toUri().orElseThrow());
            assertNotNull(cpim.imdnMessageId().orElse(null));
            assertArrayEquals(cpim.toBytes(), m.body());
        }
    }

    @Test
    void should_show_short_names_for_home_domain_and_numbers_for_tel() {
        assertEquals("alice", CpmClientCli.displayName("sip:alice@cpm.example.com", "cpm.example.com"));
        assertEquals("+15559990000", CpmClientCli.displayName("tel:+15559990000", "cpm.example.com"));
        assertEquals("dave@other.example.org", CpmClientCli.displayName("sip:dave@other.example.org", "cpm.example.com"));
    }

    @Test
    void should_show_the_recipients_a_list_copy_showed_and_never_more() {
        byte[] cpim = org.cpmrouter.sip.cpim.CpimMessage.text("sip:alice@cpm.example.com",
                "sip:exploder@cpm.example.com", "Dinner").toBytes();
        var history = org.cpmrouter.sip.urilist.RecipientList.of(java.util.List.of(
                org.cpmrouter.sip.urilist.RecipientList.Entry.to("sip:bob@cpm.example.com"),
                org.cpmrouter.sip.urilist.RecipientList.Entry.to("tel:+15559990000")));
        var body = new org.cpmrouter.sip.urilist.RecipientListMessage(history, "message/cpim", cpim).toCopyBody();
        ReceivedMessage shown = new ReceivedMessage("sip:alice@cpm.example.com", null, null, "Dinner", null, null,
                "c3", java.util.Map.of("Content-Type", body.contentType()), body.toBytes());
        assertEquals("alice to bob, +15559990000 (list)",
                CpmClientCli.describeSender(shown, "cpm.example.com", "sip:exploder@cpm.example.com"));
        ReceivedMessage bccOnly = new ReceivedMessage("sip:alice@cpm.example.com", null, null, "Dinner", null, null,
                "c4", java.util.Map.of("Content-Type", "message/cpim"), cpim);
        assertEquals("alice (list)",
                CpmClientCli.describeSender(bccOnly, "cpm.example.com", "sip:exploder@cpm.example.com"));
        assertEquals("alice", CpmClientCli.describeSender(bccOnly, "cpm.example.com"));
    }

    @Test
    void should_show_sender_in_group_when_message_was_relayed_by_a_group() {
        ReceivedMessage relayed = new ReceivedMessage("sip:alice@cpm.example.com", "sip:family@cpm.example.com",
                "Family", "Dinner", null, null, "c1", java.util.Map.of(), new byte[0]);
        assertEquals("alice in Family", CpmClientCli.describeSender(relayed, "cpm.example.com"));
        ReceivedMessage unnamed = new ReceivedMessage("sip:alice@cpm.example.com", "sip:family@cpm.example.com",
                null, "Dinner", null, null, "c1", java.util.Map.of(), new byte[0]);
        assertEquals("alice in family", CpmClientCli.describeSender(unnamed, "cpm.example.com"));
        ReceivedMessage direct = new ReceivedMessage("tel:+15559990000", null, null, "hi", null, null, "c2",
                java.util.Map.of(), new byte[0]);
        assertEquals("+15559990000", CpmClientCli.describeSender(direct, "cpm.example.com"));
    }

    @Test
    void should_exit_2_with_usage_when_options_are_missing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CpmClientCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true))
                .run(new String[] {"send", "--to", "bob", "hi"});
        assertEquals(2, code);
        assertEquals(true, err.toString(StandardCharsets.UTF_8).contains("send needs --from"));
    }
}
