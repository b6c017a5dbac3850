package org.cpmrouter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reply state between `cpm-client listen` and `cpm-client reply` (OMA CPM 5.2.2.1 NOTE 1 to 3). */
class LastReceivedTest {

    private static final NonCpmServiceIdentifier IDENTIFIER = NonCpmServiceIdentifier.standard();

    @TempDir
    Path state;

    private static ReceivedMessage fromSms(String text) {
        return new ReceivedMessage("tel:+15559990000", null, null, text, "conv-1", "contrib-1", "call-1",
                Map.of("non-cpm-service", "sms", "From", "<tel:+15559990000>;tag=1"), new byte[0]);
    }

    @Test
    void should_reply_to_an_sms_user_with_the_identifier_it_arrived_with_and_never_keep_the_text() throws Exception {
        Path file = LastReceived.file(state, "sip:bob@cpm.example.com");
        LastReceived.save(file, OutgoingMessage.replyTo(fromSms("secret words"), "", IDENTIFIER));

        OutgoingMessage reply = LastReceived.reply(file, "See you");
        assertEquals("tel:+15559990000", reply.target());
        assertEquals("See you", reply.text());
        assertEquals(Map.of("Non-CPM-Service", "SMS"), reply.extraHeaders());
        assertEquals("conv-1", reply.conversationId());
        assertEquals("contrib-1", reply.inReplyToContributionId());
        assertTrue(!Files.readString(file).contains("secret words"), "the state file never holds a text");
    }

    @Test
    void should_reply_without_identifier_to_a_cpm_user_and_to_the_group_of_a_group_message() throws Exception {
        ReceivedMessage group = new ReceivedMessage("sip:alice@cpm.example.com", "sip:family@cpm.example.com",
                "Family", "hi", null, null, "call-2", Map.of(), new byte[0]);
        OutgoingMessage reply = OutgoingMessage.replyTo(group, "hello all", IDENTIFIER);
        assertEquals("sip:family@cpm.example.com", reply.target());
        assertEquals(Map.of(), reply.extraHeaders());
        assertNull(reply.conversationId());
    }

    @Test
    void should_say_there_is_nothing_to_reply_to_before_anything_was_received() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LastReceived.reply(LastReceived.file(state, "sip:carol@cpm.example.com"), "hi"));
        assertTrue(e.getMessage().contains("listen first"), e.getMessage());
    }

    @Test
    void should_not_show_the_identifier_when_describing_the_sender() {
        assertEquals("+15559990000", CpmClientCli.describeSender(fromSms("x"), "cpm.example.com"));
    }
}
