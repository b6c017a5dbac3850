package org.cpmrouter.routes.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.urilist.RecipientList;
import org.cpmrouter.sip.urilist.RecipientList.CopyControl;
import org.cpmrouter.sip.urilist.RecipientList.Entry;
import org.junit.jupiter.api.Test;

/** What a recipient list expands to: distinct identities, copy control, nested lists, what recipients are shown. */
class UriListExpansionTest {

    private static final String SERVICE = "sip:exploder@cpm.example.com";
    private static final CpmAddresses ADDRESSES = new CpmAddresses("cpm.example.com", List.of("127.0.0.1"));

    /** bob's number is bob, as the subscriber store resolves it; anything else is its canonical address. */
    private static String identity(String address) {
        String canonical = ADDRESSES.canonical(address);
        return "tel:+15551230002".equals(canonical) ? "sip:bob@cpm.example.com" : canonical;
    }

    private static UriListExpansion expand(Entry... entries) {
        return UriListExpansion.of(RecipientList.of(List.of(entries)), UriListExpansionTest::identity, SERVICE);
    }

    @Test
    void should_send_one_copy_per_identity_when_a_recipient_is_listed_again_by_another_address_or_its_number() {
        UriListExpansion e = expand(Entry.to("sip:bob@cpm.example.com"), Entry.to("sip:bob@127.0.0.1:5060"),
                Entry.to("tel:+1-555-123-0002"), Entry.to("tel:+15559990000"));
        assertEquals(List.of("sip:bob@cpm.example.com", "tel:+15559990000"), e.identities());
        assertEquals(2, e.duplicates());
    }

    @Test
    void should_hide_bcc_and_anonymize_in_what_recipients_are_shown() {
        UriListExpansion e = expand(Entry.to("sip:bob@cpm.example.com"),
                new Entry("sip:carol@cpm.example.com", CopyControl.BCC, false),
                new Entry("sip:dave@cpm.example.com", CopyControl.CC, true));
        assertEquals(3, e.targets().size(), "bcc and anonymized recipients get their copy");
        assertEquals(List.of(Entry.to("sip:bob@cpm.example.com"),
                new Entry(UriListExpansion.ANONYMOUS, CopyControl.CC, false)), e.history().entries());
    }

    @Test
    void should_keep_the_most_private_copy_control_when_one_recipient_is_listed_as_to_and_bcc() {
        UriListExpansion e = expand(Entry.to("sip:carol@cpm.example.com"), Entry.to("sip:bob@cpm.example.com"),
                new Entry("sip:carol@127.0.0.1", CopyControl.BCC, false));
        assertEquals(CopyControl.BCC, e.targets().get(0).copyControl());
        assertEquals(List.of(Entry.to("sip:bob@cpm.example.com")), e.history().entries(), "carol is shown to nobody");
    }

    @Test
    void should_show_nobody_when_every_recipient_is_bcc() {
        assertNull(expand(new Entry("sip:bob@cpm.example.com", CopyControl.BCC, false)).history());
    }

    @Test
    void should_count_the_service_itself_and_references_as_nested_lists() {
        UriListExpansion e = UriListExpansion.of(new RecipientList(List.of(Entry.to("sip:bob@cpm.example.com"),
                        Entry.to("sip:exploder@127.0.0.1")), List.of("http://xcap.example.com/friends")),
                UriListExpansionTest::identity, SERVICE);
        assertEquals(List.of("sip:bob@cpm.example.com"), e.identities());
        assertEquals(2, e.nested().size());
    }

    @Test
    void should_refuse_400_naming_an_entry_that_is_no_sip_or_tel_uri() {
        SipResponseException refused = assertThrows(SipResponseException.class,
                () -> expand(Entry.to("sip:bob@cpm.example.com"), Entry.to("mailto:bob@example.com")));
        assertEquals(400, refused.status());
        assertEquals("Recipient list entry 'mailto:bob@example.com' is not a sip:, sips: or tel: URI", refused.reason());
    }
}
