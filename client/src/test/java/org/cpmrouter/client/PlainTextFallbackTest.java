package org.cpmrouter.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlainTextFallbackTest {

    @Test
    void should_send_again_as_plain_text_only_when_the_recipient_takes_it_and_not_cpim() {
        assertTrue(CpmClient.takesPlainText("text/plain"));
        assertTrue(CpmClient.takesPlainText("text/plain;charset=UTF-8, application/im-iscomposing+xml"));
        assertTrue(CpmClient.takesPlainText("TEXT/*"));
        assertFalse(CpmClient.takesPlainText("message/cpim, text/plain"), "it takes CPIM: the refusal is another");
        assertFalse(CpmClient.takesPlainText("application/octet-stream"));
        assertFalse(CpmClient.takesPlainText(null));
    }
}
