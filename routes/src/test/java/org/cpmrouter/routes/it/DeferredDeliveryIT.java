package org.cpmrouter.routes.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.sip.cpim.CpimMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deferred delivery and every device, over real SIP: a message to a recipient with no client is held ({@code 202})
 * and reaches the client that registers next, byte for byte with its {@code imdn.Message-ID}, even after a
 * {@code kill -9} in between; a recipient with two devices gets it on both; a device that did not take it gets it
 * when it registers again.
 */
class DeferredDeliveryIT {

    @TempDir
    Path dataDir;

    @Test
    void should_hold_a_message_for_an_offline_recipient_and_deliver_it_when_she_registers() throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir)) {
            SendResult held = router.client("alice").send(RouterFixture.uri("carol"), "while you were away")
                    .get(20, TimeUnit.SECONDS);
            assertEquals(202, held.status(), held.toString());
            assertEquals(1, router.router.stores().deferred().summary(RouterFixture.uri("carol")).count());
            String summary = adminGet(router, "/admin/deferred/sip%3Acarol%40cpm.example.com");
            assertTrue(summary.contains("\"count\":1") && summary.contains("oldestStoredAt"), summary);
            assertFalse(summary.contains("while you were away"), "the admin API shows no content: " + summary);

            RouterFixture.Inbox carol = router.registered("carol");
            ReceivedMessage received = carol.next();

            assertNotNull(received, "carol did not get the held message when she registered");
            assertEquals("while you were away", received.text());
            assertTrue(CpimMessage.parse(received.body()).imdnMessageId().isPresent());
            Awaitility.await("the held message is removed once delivered").atMost(Duration.ofSeconds(10))
                    .until(() -> router.router.stores().deferred().summary(RouterFixture.uri("carol")).count() == 0);
            assertNull(carol.messages().poll(500, TimeUnit.MILLISECONDS), "delivered twice");
        }
    }

    @Test
    void should_deliver_to_every_device_of_the_recipient() throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir)) {
            RouterFixture.Inbox phone = router.registered("bob");
            RouterFixture.Inbox desktop = router.registered("bob");

            SendResult sent = router.client("alice").send(RouterFixture.uri("bob"), "to both").get(20, TimeUnit.SECONDS);

            assertEquals(200, sent.status(), sent.toString());
            ReceivedMessage onPhone = phone.next();
            ReceivedMessage onDesktop = desktop.next();
            assertNotNull(onPhone, "the phone did not get it");
            assertNotNull(onDesktop, "the desktop did not get it");
            assertArrayEquals(onPhone.body(), onDesktop.body(), "one message, the same bytes on each device");
        }
    }

    @Test
    void should_serve_a_device_that_missed_a_message_when_it_registers_again() throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir);
             RawUserAgent laptop = new RawUserAgent()) {
            RouterFixture.Inbox phone = router.registered("bob");
            assertEquals(200, laptop.register("bob", router.port, 600));

            CompletableFuture<SendResult> sent = router.client("alice").send(RouterFixture.uri("bob"), "catch up");
            RawUserAgent.Received atLaptop = laptop.awaitRequest(Duration.ofSeconds(20));
            assertNotNull(atLaptop, "the laptop was not sent the message");
            laptop.answer(atLaptop, 480, "Temporarily Unavailable");

            assertEquals(200, sent.get(20, TimeUnit.SECONDS).status());
            assertEquals("catch up", phone.next().text());
            Awaitility.await("held for the laptop").atMost(Duration.ofSeconds(10))
                    .until(() -> router.router.stores().deferred().summary(RouterFixture.uri("bob")).count() == 1);

            assertEquals(200, laptop.register("bob", router.port, 600));
            RawUserAgent.Received again = laptop.awaitRequest(Duration.ofSeconds(20));
            assertNotNull(again, "the laptop did not get the message when it registered again");
            assertTrue(again.text().contains("catch up"), again.text());
            assertTrue(again.text().contains(CpimMessage.parse(bodyOf(atLaptop)).imdnMessageId().orElseThrow()),
                    "the same imdn.Message-ID");
            laptop.answer(again, 200, "OK");
            Awaitility.await("removed once the laptop took it").atMost(Duration.ofSeconds(10))
                    .until(() -> router.router.stores().deferred().summary(RouterFixture.uri("bob")).count() == 0);
            assertNull(phone.messages().poll(500, TimeUnit.MILLISECONDS), "the phone, which had it, got it again");
        }
    }

    @Test
    void should_still_deliver_a_held_message_once_after_a_kill_9() throws Exception {
        int port = RouterFixture.freePort();
        byte[] sentBody;
        try (CpmClient alice = client("alice", port)) {
            try (RouterProcess first = RouterProcess.start(dataDir, port, Map.of())) {
                SendResult held = alice.send(RouterFixture.uri("carol"), "survives a crash").get(20, TimeUnit.SECONDS);
                assertEquals(202, held.status(), held + "\n" + first.output());
                assertEquals(137, first.kill9(), first.output());
            }
        }
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        try (RouterProcess second = RouterProcess.start(dataDir, port, Map.of());
             CpmClient carol = client("carol", port)) {
            carol.onMessage(inbox::add);
            assertEquals(200, carol.register(600).get(20, TimeUnit.SECONDS).status());
            ReceivedMessage received = inbox.poll(20, TimeUnit.SECONDS);
            assertNotNull(received, "nothing held survived the kill\n" + second.output());
            assertEquals("survives a crash", received.text());
            sentBody = received.body();
            assertNull(inbox.poll(1, TimeUnit.SECONDS), "delivered twice");
        }
        assertFalse(new String(sentBody, StandardCharsets.UTF_8).isEmpty());
    }

    @Test
    void should_hold_a_delivery_report_for_an_offline_recipient_and_deliver_it_unchanged() throws Exception {
        byte[] report = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"
                + "<message-id>carol-msg-7</message-id><datetime>2030-01-01T10:00:00Z</datetime>"
                + "<delivery-notification><status><delivered/></status></delivery-notification></imdn>")
                .getBytes(StandardCharsets.UTF_8);
        try (RouterFixture router = RouterFixture.start(dataDir);
             DigestProbe bob = new DigestProbe(router.port)) {
            String answer = bob.sendAs("bob", RouterFixture.uri("carol"), "", "message/imdn+xml", report);
            assertEquals(202, org.cpmrouter.sip.UdpProbe.status(answer), answer);

            RouterFixture.Inbox carol = router.registered("carol");
            ReceivedMessage received = carol.next();

            assertNotNull(received, "carol did not get the report held for her");
            assertArrayEquals(report, received.body(), "a held report is delivered byte for byte");
            assertEquals("message/imdn+xml", received.header("Content-Type").orElseThrow());
            assertEquals(RouterFixture.uri("bob"), received.sender());
        }
    }

    @Test
    void should_hold_a_group_copy_for_an_offline_member_and_deliver_it_when_she_registers() throws Exception {
        try (RouterFixture router = RouterFixture.start(dataDir)) {
            RouterFixture.Inbox bob = router.registered("bob");
            SendResult sent = router.client("alice").send("sip:family@cpm.example.com", "dinner at eight")
                    .get(20, TimeUnit.SECONDS);
            assertEquals(202, sent.status(), sent.toString());
            ReceivedMessage atBob = bob.next();
            assertNotNull(atBob, "bob, online, did not get his copy");
            Awaitility.await("carol's copy is held").atMost(Duration.ofSeconds(10))
                    .until(() -> router.router.stores().deferred().summary(RouterFixture.uri("carol")).count() == 1);

            RouterFixture.Inbox carol = router.registered("carol");
            ReceivedMessage atCarol = carol.next();

            assertNotNull(atCarol, "carol did not get her copy of the group message when she registered");
            assertEquals("dinner at eight", atCarol.text());
            assertEquals(CpimMessage.parse(atBob.body()).imdnMessageId(),
                    CpimMessage.parse(atCarol.body()).imdnMessageId(), "one group message, one Message-ID");
        }
    }

    private static String adminGet(RouterFixture router, String path) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + router.adminPort + path))
                        .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static CpmClient client(String user, int port) throws Exception {
        return CpmClient.start(ClientConfig.of(RouterFixture.uri(user), "127.0.0.1", port)
                .withPassword(RouterFixture.password(user)));
    }

    private static byte[] bodyOf(RawUserAgent.Received request) {
        String text = request.text();
        return text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.UTF_8);
    }
}
