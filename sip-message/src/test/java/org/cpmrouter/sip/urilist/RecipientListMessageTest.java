package org.cpmrouter.sip.urilist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.cpmrouter.sip.urilist.RecipientList.CopyControl;
import org.cpmrouter.sip.urilist.RecipientList.Entry;
import org.junit.jupiter.api.Test;

class RecipientListMessageTest {

    /** Example D of wire-format.md, with LF line ends as a hand-written capture has them. */
    private static final String EXAMPLE_D = """
            --b1
            Content-Type: application/resource-lists+xml
            Content-Disposition: recipient-list

            <?xml version="1.0" encoding="UTF-8"?>
            <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:cp="urn:ietf:params:xml:ns:copycontrol">
             <list><entry uri="tel:+15551110001" cp:copyControl="to"/><entry uri="tel:+15551110002" cp:copyControl="bcc"/>
              <list><entry uri="sip:carol@cpm.example.com" cp:copyControl="cc" cp:anonymize="true"/></list>
              <external anchor="http://xcap.example.com/lists/friends"/></list>
            </resource-lists>
            --b1
            Content-Type: message/cpim

            From: <sip:alice@cpm.example.com>

            Content-Type: text/plain

            Hi
            --b1--
            """;

    @Test
    void should_read_entries_copy_control_nested_lists_and_references_when_parsing_example_d() {
        RecipientListMessage m = RecipientListMessage.parseRequest("multipart/mixed;boundary=b1",
                EXAMPLE_D.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new Entry("tel:+15551110001", CopyControl.TO, false),
                new Entry("tel:+15551110002", CopyControl.BCC, false),
                new Entry("sip:carol@cpm.example.com", CopyControl.CC, true)), m.list().entries());
        assertEquals(List.of("http://xcap.example.com/lists/friends"), m.list().references());
        assertEquals("message/cpim", m.payloadContentType());
        assertEquals("From: <sip:alice@cpm.example.com>\n\nContent-Type: text/plain\n\nHi",
                new String(m.payload(), StandardCharsets.UTF_8));
    }

    @Test
    void should_give_back_list_and_payload_when_a_built_request_is_parsed() {
        RecipientList list = RecipientList.of(List.of(Entry.to("sip:bob@cpm.example.com"),
                new Entry("sip:x&y@cpm.example.com", CopyControl.BCC, false)));
        byte[] payload = "From: <sip:a@b>\r\n\r\nContent-Type: text/plain\r\n\r\nHi\r\n".getBytes(StandardCharsets.UTF_8);
        MultipartBody body = new RecipientListMessage(list, "message/cpim", payload).toRequestBody();
        RecipientListMessage back = RecipientListMessage.parseRequest(body.contentType(), body.toBytes());
        assertEquals(list.entries(), back.list().entries());
        assertArrayEquals(payload, back.payload());
    }

    @Test
    void should_read_a_copy_with_history_and_none_without() {
        RecipientList history = RecipientList.of(List.of(Entry.to("sip:bob@cpm.example.com")));
        MultipartBody copy = new RecipientListMessage(history, "message/cpim", "x".getBytes()).toCopyBody();
        RecipientListMessage read = RecipientListMessage.parseCopy(copy.contentType(), copy.toBytes()).orElseThrow();
        assertEquals(history.entries(), read.list().entries());
        assertTrue(RecipientListMessage.parseCopy("message/cpim", "x".getBytes()).isEmpty());
        MultipartBody bare = new RecipientListMessage(null, "message/cpim", "x".getBytes()).toCopyBody();
        assertNull(RecipientListMessage.parseCopy(bare.contentType(), bare.toBytes()).orElseThrow().list());
    }

    @Test
    void should_refuse_naming_the_problem_when_the_body_is_not_a_recipient_list_request() {
        assertEquals("multipart/mixed body without a boundary parameter", assertThrows(UriListFormatException.class,
                () -> RecipientListMessage.parseRequest("multipart/mixed", new byte[0])).getMessage());
        String noList = "--b\r\nContent-Type: message/cpim\r\n\r\nx\r\n--b--\r\n";
        assertTrue(assertThrows(UriListFormatException.class, () -> RecipientListMessage.parseRequest(
                "multipart/mixed; boundary=\"b\"", noList.getBytes())).getMessage().contains("recipient-list"));
        String badXml = "--b\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list"
                + "\r\n\r\n<resource-lists\r\n--b\r\nContent-Type: message/cpim\r\n\r\nx\r\n--b--\r\n";
        assertTrue(assertThrows(UriListFormatException.class, () -> RecipientListMessage.parseRequest(
                "multipart/mixed;boundary=b", badXml.getBytes())).getMessage().startsWith("recipient list is not"));
        String doctype = "--b\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list"
                + "\r\n\r\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><resource-lists/>\r\n"
                + "--b\r\nContent-Type: message/cpim\r\n\r\nx\r\n--b--\r\n";
        assertThrows(UriListFormatException.class, () -> RecipientListMessage.parseRequest(
                "multipart/mixed;boundary=b", doctype.getBytes()));
        String badCopy = "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\" "
                + "xmlns:cp=\"urn:ietf:params:xml:ns:copycontrol\"><list><entry uri=\"sip:a@b\" cp:copyControl=\"x\"/>"
                + "</list></resource-lists>";
        assertTrue(assertThrows(UriListFormatException.class, () -> RecipientList.parse(badCopy.getBytes()))
                .getMessage().contains("to, cc or bcc"));
    }
}
