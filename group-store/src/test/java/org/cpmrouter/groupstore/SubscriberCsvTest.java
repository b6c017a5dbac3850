package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class SubscriberCsvTest {

    @Test
    void should_read_back_what_it_writes_without_any_password() {
        List<Subscriber> subscribers = List.of(
                new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, false)
                        .withCredentials(DigestCredentials.fromPassword("alice", "cpm.example.com", "alice-demo")),
                new Subscriber("sip:dave@cpm.example.com", List.of("tel:+15551230004", "tel:+15551230005"), false,
                        true));

        String csv = SubscriberCsv.write(subscribers);
        List<SubscriberCsv.Row> rows = SubscriberCsv.parse(csv.lines().toList(), "export.csv");

        assertFalse(csv.contains("alice-demo") || csv.contains(subscribers.get(0).credentials().ha1Md5()), csv);
        assertEquals(List.of(subscribers.get(0).withCredentials(null), subscribers.get(1)),
                rows.stream().map(SubscriberCsv.Row::subscriber).toList());
        assertNull(rows.get(0).password());
        assertEquals(List.of(3, 4), rows.stream().map(SubscriberCsv.Row::line).toList());
    }

    @Test
    void should_name_every_bad_line_of_the_file_at_once() {
        List<String> lines = List.of(
                "# a comment",
                "sip:alice@cpm.example.com, tel:+15551230001, true, false, secret",
                "alice, , true, false",
                "sip:erin@cpm.example.com, +15551230005, true, false",
                "sip:fred@cpm.example.com, tel:+15551230001, yes, false",
                "sip:gina@cpm.example.com, , true");

        SubscriberCsv.InvalidCsvException e = assertThrows(SubscriberCsv.InvalidCsvException.class,
                () -> SubscriberCsv.parse(lines, "new.csv"));

        assertEquals(List.of(3, 4, 5, 6), e.problems().stream().map(SubscriberCsv.Problem::line).toList());
        assertEquals(List.of(
                "new.csv:3: public identity 'alice' is not a SIP URI sip:user@domain (no parameters)",
                "new.csv:4: tel alias '+15551230005' is not tel:+ and 1 to 15 digits (e.g. tel:+15551230004)",
                "new.csv:5: cpm enabled must be true or false but was 'yes'",
                "new.csv:6: expected 4 or 5 comma-separated fields (public identity, tel aliases, cpm enabled, barred[,"
                        + " password]) but found 3"),
                e.getMessage().lines().toList());
    }

    @Test
    void should_name_the_earlier_line_when_an_identity_repeats_and_never_show_a_password() {
        SubscriberCsv.InvalidCsvException e = assertThrows(SubscriberCsv.InvalidCsvException.class,
                () -> SubscriberCsv.parse(List.of(
                        "sip:alice@cpm.example.com, tel:+15551230001, true, false",
                        "sip:fred@cpm.example.com, tel:+15551230001, true, false, fred-secret"), "x.csv"));
        assertEquals("x.csv:2: identity tel:+15551230001 already used on line 1", e.getMessage());

        SubscriberCsv.Row row = SubscriberCsv.parse(List.of("sip:fred@cpm.example.com, , true, false, fred-secret"),
                "y.csv").get(0);
        assertEquals("fred-secret", row.password());
        assertFalse(row.toString().contains("fred-secret"), row.toString());
    }
}
