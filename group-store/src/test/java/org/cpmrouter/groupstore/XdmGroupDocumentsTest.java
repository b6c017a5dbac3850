package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class XdmGroupDocumentsTest {

    static final String FAMILY_URI = "sip:family@cpm.example.com";
    static final String ALICE = "sip:alice@cpm.example.com";
    static final String BOB = "sip:bob@cpm.example.com";
    static final String CAROL = "sip:carol@cpm.example.com";
    static final String CPM_MSG = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg";
    static final String MEMBERS_RULE = """
            <cp:ruleset><cp:rule id="members">
              <cp:conditions><is-list-member/></cp:conditions>
              <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions>
            </cp:rule></cp:ruleset>""";

    @Test
    void should_read_the_shipped_family_group_when_parsed() throws IOException {
        Group family = XdmGroupDocuments.parse(Files.readAllBytes(TestPaths.DEMO_FAMILY_XML), "family.xml");

        assertEquals(new Group(FAMILY_URI, "Family", List.of(ALICE, BOB, CAROL), SendPolicy.MEMBERS_ONLY, List.of(),
                List.of(CPM_MSG)), family);
    }

    @Test
    void should_give_back_the_shipped_group_when_written_and_parsed_again() throws IOException {
        Group family = XdmGroupDocuments.parse(Files.readAllBytes(TestPaths.DEMO_FAMILY_XML), "family.xml");

        assertEquals(family, XdmGroupDocuments.parse(XdmGroupDocuments.write(family), "written"));
    }

    static Stream<Group> groups() {
        return Stream.of(
                Group.of(FAMILY_URI, "Family", List.of(ALICE, BOB, CAROL)),
                new Group(FAMILY_URI, "", List.of(), SendPolicy.MEMBERS_ONLY, List.of(), List.of()),
                new Group("sip:all-hands@cpm.example.com", "All hands", List.of(ALICE, "tel:+15551230002"),
                        SendPolicy.DOMAIN_SUBSCRIBERS, List.of(), List.of(CPM_MSG, "urn:example:other")),
                new Group("sips:news@CPM.example.com;transport=tls", "News <&> \"quotes\"", List.of(BOB),
                        SendPolicy.DOMAIN_SUBSCRIBERS, List.of(), List.of()),
                new Group("sip:announcements@cpm.example.com", "Announcements", List.of(ALICE, BOB, CAROL),
                        SendPolicy.ALLOW_LIST, List.of(ALICE, "tel:+15551230009"), List.of(CPM_MSG)),
                new Group("sip:silent@cpm.example.com", "Nobody sends", List.of(ALICE), SendPolicy.ALLOW_LIST,
                        List.of(), List.of()),
                new Group("sip:dormant@cpm.example.com", "Allow list kept, members send", List.of(ALICE),
                        SendPolicy.MEMBERS_ONLY, List.of(CAROL), List.of()),
                new Group("sip:dormant2@cpm.example.com", "Allow list kept, domain sends", List.of(),
                        SendPolicy.DOMAIN_SUBSCRIBERS, List.of(CAROL, BOB), List.of()));
    }

    @ParameterizedTest
    @MethodSource("groups")
    void should_give_back_the_same_group_when_written_and_parsed_again(Group group) {
        byte[] xml = XdmGroupDocuments.write(group);

        assertEquals(group, XdmGroupDocuments.parse(xml, "round-trip"), new String(xml, StandardCharsets.UTF_8));
    }

    @Test
    void should_write_the_oma_namespaces_on_the_group_root() {
        String xml = new String(XdmGroupDocuments.write(Group.of(FAMILY_URI, "Family", List.of(ALICE))),
                StandardCharsets.UTF_8);

        assertTrue(xml.contains("<group xmlns=\"urn:oma:xml:poc:list-service\""), xml);
        assertTrue(xml.contains("xmlns:cp=\"urn:ietf:params:xml:ns:common-policy\""), xml);
        assertTrue(xml.contains("xmlns:oxg=\"urn:oma:xml:xdm:group\""), xml);
        assertTrue(xml.contains("<list-service uri=\"sip:family@cpm.example.com\">"), xml);
        assertTrue(xml.contains("<is-list-member/>"), xml);
    }

    @Test
    void should_read_the_example_of_the_wire_format_notes_with_rl_namespace_and_tel_entries() {
        String xml = """
                <group xmlns="urn:oma:xml:poc:list-service"
                       xmlns:rl="urn:ietf:params:xml:ns:resource-lists"
                       xmlns:cp="urn:ietf:params:xml:ns:common-policy"
                       xmlns:oxg="urn:oma:xml:xdm:group">
                  <list-service uri="sip:family@cpm.example.com">
                    <display-name>Family</display-name>
                    <list>
                      <entry uri="tel:+15551110001"/><rl:entry uri="tel:+15551110002"><rl:display-name>Gran</rl:display-name></rl:entry>
                    </list>
                    <invite-members>true</invite-members>
                    <max-participant-count>10</max-participant-count>
                    <oxg:supported-services><oxg:service enabler="urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"/></oxg:supported-services>
                    <cp:ruleset><cp:rule id="members">
                      <cp:conditions><is-list-member/></cp:conditions>
                      <cp:actions><allow-initiate-conference>true</allow-initiate-conference>
                                  <join-handling>true</join-handling><allow-anonymity>false</allow-anonymity></cp:actions>
                    </cp:rule>
                    <cp:rule id="anonymity"><cp:conditions/><cp:actions><allow-anonymity>false</allow-anonymity></cp:actions></cp:rule>
                    </cp:ruleset>
                  </list-service>
                </group>
                """;

        Group group = parse(xml);

        assertEquals(new Group(FAMILY_URI, "Family", List.of("tel:+15551110001", "tel:+15551110002"),
                SendPolicy.MEMBERS_ONLY, List.of(), List.of(CPM_MSG)), group);
    }

    @Test
    void should_read_domain_and_allow_list_rules_written_by_hand() {
        Group domain = parse(document("""
                <list><entry uri="sip:alice@cpm.example.com"/></list>
                <cp:ruleset><cp:rule id="d"><cp:conditions><cp:identity><cp:many domain="CPM.EXAMPLE.COM"/></cp:identity>
                </cp:conditions><cp:actions><allow-initiate-conference>1</allow-initiate-conference></cp:actions></cp:rule>
                </cp:ruleset>"""));
        Group allowList = parse(document("""
                <cp:ruleset><cp:rule id="a"><cp:conditions><cp:identity>
                  <cp:one id="sip:bob@cpm.example.com"/><cp:one id=" tel:+15551230001 "/>
                </cp:identity></cp:conditions><cp:actions><allow-initiate-conference>true</allow-initiate-conference>
                </cp:actions></cp:rule></cp:ruleset>"""));

        assertEquals(SendPolicy.DOMAIN_SUBSCRIBERS, domain.sendPolicy());
        assertEquals(List.of(ALICE), domain.members());
        assertEquals(SendPolicy.ALLOW_LIST, allowList.sendPolicy());
        assertEquals(List.of(BOB, "tel:+15551230001"), allowList.allowedSenders());
        assertEquals(List.of(), allowList.members());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not XML", "this is not xml", "not well-formed"),
                Arguments.of("truncated", "<group xmlns=\"urn:oma:xml:poc:list-service\">\n<list-service uri=\"sip:a@b\">",
                        "not well-formed"),
                Arguments.of("older draft namespace", """
                        <group xmlns="urn:oma:params:xml:ns:list-service"><list-service uri="sip:family@cpm.example.com"/>
                        </group>""", "urn:oma:params:xml:ns:list-service"),
                Arguments.of("no namespace", "<group><list-service uri=\"sip:family@cpm.example.com\"/></group>",
                        "without namespace"),
                Arguments.of("no list-service", "<group xmlns=\"urn:oma:xml:poc:list-service\"/>",
                        "exactly one <list-service>"),
                Arguments.of("two list-services", """
                        <group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:a@cpm.example.com"/>
                        <list-service uri="sip:b@cpm.example.com"/></group>""", "found 2"),
                Arguments.of("list-service without uri",
                        "<group xmlns=\"urn:oma:xml:poc:list-service\"><list-service/></group>", "no uri attribute"),
                Arguments.of("list-service uri not SIP", document("tel:+15551230000", "<list/>" + MEMBERS_RULE),
                        "is not a SIP URI"),
                Arguments.of("entry without uri", document("<list><entry/></list>" + MEMBERS_RULE),
                        "<entry> of <list> has no uri"),
                Arguments.of("entry uri not a SIP or tel URI",
                        document("<list><entry uri=\"mailto:a@b\"/></list>" + MEMBERS_RULE), "mailto:a@b"),
                Arguments.of("duplicate entries", document("""
                        <list><entry uri="sip:alice@cpm.example.com"/><entry uri="sip:bob@cpm.example.com"/>
                        <entry uri="sip:alice@cpm.example.com"/></list>""" + MEMBERS_RULE),
                        "entry sip:alice@cpm.example.com appears more than once"),
                Arguments.of("external list reference",
                        document("<list><external anchor=\"http://x/y\"/></list>" + MEMBERS_RULE), "<external>"),
                Arguments.of("no ruleset", document("<list/>"), "no <cp:ruleset>"),
                Arguments.of("no granting rule", document("""
                        <cp:ruleset><cp:rule id="r"><cp:conditions><is-list-member/></cp:conditions>
                        <cp:actions><allow-initiate-conference>false</allow-initiate-conference></cp:actions></cp:rule>
                        </cp:ruleset>"""), "no cp:rule grants"),
                Arguments.of("two granting rules", document("""
                        <cp:ruleset><cp:rule id="m"><cp:conditions><is-list-member/></cp:conditions>
                        <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions></cp:rule>
                        <cp:rule id="a"><cp:conditions><cp:identity><cp:one id="sip:x@y"/></cp:identity></cp:conditions>
                        <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions></cp:rule>
                        </cp:ruleset>"""), "2 cp:rules grant"),
                Arguments.of("granting rule without conditions", document("""
                        <cp:ruleset><cp:rule id="everyone"><cp:conditions/>
                        <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions></cp:rule>
                        </cp:ruleset>"""), "cp:rule 'everyone' grants"),
                Arguments.of("granting rule with an extra condition", document("""
                        <cp:ruleset><cp:rule id="timed"><cp:conditions><is-list-member/>
                        <cp:validity><cp:from>2026-01-01T00:00:00Z</cp:from><cp:until>2026-02-01T00:00:00Z</cp:until></cp:validity>
                        </cp:conditions><cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions>
                        </cp:rule></cp:ruleset>"""), "cp:rule 'timed' grants"),
                Arguments.of("cp:many of another domain", document("""
                        <cp:ruleset><cp:rule id="d"><cp:conditions><cp:identity><cp:many domain="evil.example.net"/>
                        </cp:identity></cp:conditions>
                        <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions></cp:rule>
                        </cp:ruleset>"""), "evil.example.net"),
                Arguments.of("cp:many with exceptions", document("""
                        <cp:ruleset><cp:rule id="d"><cp:conditions><cp:identity><cp:many domain="cpm.example.com">
                        <cp:except id="sip:mallory@cpm.example.com"/></cp:many></cp:identity></cp:conditions>
                        <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions></cp:rule>
                        </cp:ruleset>"""), "cp:rule 'd' grants"),
                Arguments.of("allow value not boolean", document("""
                        <cp:ruleset><cp:rule id="m"><cp:conditions><is-list-member/></cp:conditions>
                        <cp:actions><allow-initiate-conference>yes</allow-initiate-conference></cp:actions></cp:rule>
                        </cp:ruleset>"""), "must be true or false"),
                Arguments.of("internal entity in a DOCTYPE", """
                        <?xml version="1.0"?>
                        <!DOCTYPE group [ <!ENTITY lol "lol"> ]>
                        <group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:family@cpm.example.com">
                        <display-name>&lol;</display-name></list-service></group>""", "DOCTYPE"),
                Arguments.of("external entity (XXE)", """
                        <?xml version="1.0"?>
                        <!DOCTYPE group [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
                        <group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:family@cpm.example.com">
                        <display-name>&xxe;</display-name></list-service></group>""", "DOCTYPE"),
                Arguments.of("external DTD", """
                        <?xml version="1.0"?>
                        <!DOCTYPE group SYSTEM "http://127.0.0.1:9/group.dtd">
                        <group xmlns="urn:oma:xml:poc:list-service"/>""", "DOCTYPE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void should_refuse_naming_the_source_and_the_fault_when_the_document_is_malformed(
            String description, String xml, String expectedInMessage) {
        XdmDocumentException e = assertThrows(XdmDocumentException.class,
                () -> XdmGroupDocuments.parse(xml.getBytes(StandardCharsets.UTF_8), "groups/bad.xml"));

        assertTrue(e.getMessage().startsWith("group document groups/bad.xml"), e.getMessage());
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
        assertEquals("groups/bad.xml", e.sourceName());
    }

    @Test
    void should_give_the_line_when_the_xml_parser_reports_one() {
        String xml = "<group xmlns=\"urn:oma:xml:poc:list-service\">\n  <list-service uri=\"sip:a@b\">\n  </list>\n</group>";

        XdmDocumentException e = assertThrows(XdmDocumentException.class,
                () -> XdmGroupDocuments.parse(xml.getBytes(StandardCharsets.UTF_8), "bad.xml"));

        assertEquals(OptionalInt.of(3), e.line());
        assertTrue(e.getMessage().startsWith("group document bad.xml line 3: "), e.getMessage());
    }

    @Test
    void should_name_the_line_of_the_doctype_when_refusing_it() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE group [ <!ENTITY x \"y\"> ]>\n<group/>";

        XdmDocumentException e = assertThrows(XdmDocumentException.class,
                () -> XdmGroupDocuments.parse(xml.getBytes(StandardCharsets.UTF_8), "doctype.xml"));

        assertEquals(OptionalInt.of(2), e.line());
    }

    private static Group parse(String xml) {
        return XdmGroupDocuments.parse(xml.getBytes(StandardCharsets.UTF_8), "test.xml");
    }

    /** A group document for {@code sip:family@cpm.example.com} whose list-service holds {@code body}. */
    static String document(String body) {
        return document(FAMILY_URI, body);
    }

    static String document(String uri, String body) {
        return """
                <group xmlns="urn:oma:xml:poc:list-service" xmlns:cp="urn:ietf:params:xml:ns:common-policy"
                       xmlns:oxg="urn:oma:xml:xdm:group">
                  <list-service uri="%s">
                %s
                  </list-service>
                </group>
                """.formatted(uri, body);
    }
}
