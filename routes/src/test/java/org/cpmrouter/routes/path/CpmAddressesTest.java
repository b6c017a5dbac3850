package org.cpmrouter.routes.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpmAddressesTest {

    private final CpmAddresses addresses = new CpmAddresses("cpm.example.com", List.of("127.0.0.1", "localhost"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "<sip:alice@cpm.example.com>;tag=1                | sip:alice@cpm.example.com",
        "\"Alice\" <sip:alice@127.0.0.1:5061>;tag=x        | sip:alice@cpm.example.com",
        "sip:bob@CPM.Example.com:5060;transport=tcp        | sip:bob@cpm.example.com",
        "sip:bob@localhost                                 | sip:bob@cpm.example.com",
        "sips:carol:secret@cpm.example.com                 | sip:carol@cpm.example.com",
        "<sip:dave@other.example.org:5070>                 | sip:dave@other.example.org",
        "tel:+1-555-123-0001                               | tel:+15551230001",
        "<tel:+15551230002;phone-context=example.com>      | tel:+15551230002",
        "sip:+1(555)123-0002@cpm.example.com;user=phone    | tel:+15551230002",
        "sip:cpm.example.com                               | sip:cpm.example.com",
    })
    void should_canonicalize_when_given_request_addresses(String input, String expected) {
        assertEquals(expected, addresses.canonical(input));
    }

    @ParameterizedTest
    @CsvSource({"mailto:alice@example.com", "'<sip:alice@cpm.example.com'", "nothing", "''"})
    void should_return_null_when_no_sip_or_tel_uri(String input) {
        assertNull(addresses.canonical(input));
    }
}
