package org.cpmrouter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SendResultTest {

    @Test
    void should_say_who_refused_from_the_server_header() {
        assertEquals("refused by the CPM Router",
                new SendResult(415, "Unsupported Media Type", "c", "CPM-Router", "text/plain").refusedBy());
        assertEquals("refused by the recipient's client (BobPhone/2.1)",
                new SendResult(415, "Unsupported Media Type", "c", "BobPhone/2.1", null).refusedBy());
        assertEquals("the response does not say who refused",
                new SendResult(488, "Not Acceptable Here", "c").refusedBy());
    }
}
