package org.cpmrouter.groupstore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads and writes OMA XDM group documents ({@code urn:oma:xml:poc:list-service}, AUID
 * {@code org.openmobilealliance.groups}) as {@link Group}s.
 *
 * <p>Document shape: a {@code <group>} root holding exactly one {@code <list-service uri="sip:...">} with an
 * optional {@code <display-name>}, at most one {@code <list>} of {@code <entry uri="..."/>} (list-service or
 * RFC 4826 resource-lists namespace; each URI once; {@code sip:}, {@code sips:} or {@code tel:}), optional
 * {@code <oxg:supported-services><oxg:service enabler="..."/>} ({@code urn:oma:xml:xdm:group}, each enabler becomes
 * a supported service) and one RFC 4745 {@code <cp:ruleset>} ({@code urn:ietf:params:xml:ns:common-policy}).
 * {@code <external>} and {@code <entry-ref>} are refused (members are listed, never referenced); other OMA children
 * ({@code <invite-members>}, {@code <max-participant-count>}, {@code <owner>}) and other rule actions are ignored.
 *
 * <p>Send policy: exactly one {@code cp:rule} must grant {@code <allow-initiate-conference>true</...>} (list-service
 * namespace), and its conditions decide the policy:
 * <ul>
 *   <li>{@link SendPolicy#MEMBERS_ONLY}: {@code <cp:conditions><is-list-member/></cp:conditions>};</li>
 *   <li>{@link SendPolicy#DOMAIN_SUBSCRIBERS}: {@code <cp:conditions><cp:identity><cp:many domain="D"/></cp:identity>}
 *       where D is the host of the group URI (another domain is refused: the policy means the group's home domain);</li>
 *   <li>{@link SendPolicy#ALLOW_LIST}: {@code <cp:conditions><cp:identity><cp:one id="sip:..."/>...</cp:identity>};
 *       the ids are the allowed senders (an empty {@code <cp:identity/>} allows nobody).</li>
 * </ul>
 * A rule with the same {@code cp:one} conditions but {@code <allow-initiate-conference>false</...>} keeps an allow list
 * that is not in force (a group's {@code allowedSenders} under another policy), so {@link #write} then {@link #parse}
 * gives back every {@link Group} unchanged. Fail closed: no granting rule, several granting rules, or a granting rule
 * with any other condition (validity, sphere, {@code cp:except}, a {@code cp:many} without domain, no condition at all)
 * is refused, because ignoring a condition would let more people send than the document says.
 *
 * <p>Parsing uses the JDK's DOM parser, namespace-aware, with DOCTYPE declarations refused, so no DTD and no
 * entity (internal or external) is ever processed. {@code parse} has no side effects: callers import a document into a
 * {@link GroupStore} only after it parsed completely.
 */
public final class XdmGroupDocuments {

    /** The OMA list-service namespace of the document, its send-policy conditions and actions. */
    public static final String LIST_SERVICE_NS = "urn:oma:xml:poc:list-service";
    /** RFC 4745 common policy. */
    public static final String COMMON_POLICY_NS = "urn:ietf:params:xml:ns:common-policy";
    /** OMA XDM group extensions (supported services). */
    public static final String XDM_GROUP_NS = "urn:oma:xml:xdm:group";
    /** RFC 4826 resource lists; entries in this namespace are accepted too. */
    public static final String RESOURCE_LISTS_NS = "urn:ietf:params:xml:ns:resource-lists";
    /** MIME type of the document. */
    public static final String MEDIA_TYPE = "application/vnd.oma.poc.groups+xml";

    private static final String XMLNS_NS = XMLConstants.XMLNS_ATTRIBUTE_NS_URI;
    private static final Pattern SIP_URI = Pattern.compile("sips?:[^\\s<>\"]+");
    private static final Pattern MEMBER_URI = Pattern.compile("(sips?|tel):[^\\s<>\"]+");
    private static final String ALLOW = "allow-initiate-conference";

    private XdmGroupDocuments() {
    }

    /**
     * Parses and validates a whole group document.
     *
     * @param xml        the document bytes (encoding from the XML declaration, UTF-8 by default)
     * @param sourceName names the document in error messages (a file path, an XCAP URI)
     * @throws XdmDocumentException if the document is not well-formed, has a DOCTYPE, or is not a group this router
     *                              can represent
     */
    public static Group parse(byte[] xml, String sourceName) {
        Objects.requireNonNull(xml, "xml");
        String source = sourceName == null ? "(unnamed)" : sourceName;
        Element root = read(xml, source).getDocumentElement();
        if (!is(root, LIST_SERVICE_NS, "group")) {
            throw new XdmDocumentException(source, "root element is " + describe(root) + ", expected <group> in "
                    + LIST_SERVICE_NS);
        }
        Element listService = single(root, LIST_SERVICE_NS, "list-service", source, true);
        String uri = attribute(listService, "uri");
        if (uri == null) {
            throw new XdmDocumentException(source, "<list-service> has no uri attribute");
        }
        if (!SIP_URI.matcher(uri).matches()) {
            throw new XdmDocumentException(source, "list-service uri '" + uri + "' is not a SIP URI");
        }
        Element displayName = first(listService, LIST_SERVICE_NS, "display-name");
        String name = displayName == null ? "" : displayName.getTextContent().strip();
        List<String> members = members(single(listService, LIST_SERVICE_NS, "list", source, false), source);
        List<String> services = services(listService, source);
        Element ruleset = single(listService, COMMON_POLICY_NS, "ruleset", source, false);
        if (ruleset == null) {
            throw new XdmDocumentException(source, "no <cp:ruleset>: say who may send to " + uri
                    + " (e.g. a cp:rule with <is-list-member/> and <allow-initiate-conference>true)");
        }
        Policy policy = policy(ruleset, uri, source);
        try {
            return new Group(uri, name, members, policy.sendPolicy(), policy.allowedSenders(), services);
        } catch (IllegalArgumentException e) {
            throw new XdmDocumentException(source, -1, e.getMessage(), e);
        }
    }

    /**
     * Writes a group as an OMA XDM group document (UTF-8, indented), in the shape {@link #parse} reads back to an
     * equal group.
     */
    public static byte[] write(Group group) {
        Objects.requireNonNull(group, "group");
        Document doc = newBuilder().newDocument();
        Element root = doc.createElementNS(LIST_SERVICE_NS, "group");
        root.setAttributeNS(XMLNS_NS, "xmlns", LIST_SERVICE_NS);
        root.setAttributeNS(XMLNS_NS, "xmlns:cp", COMMON_POLICY_NS);
        root.setAttributeNS(XMLNS_NS, "xmlns:oxg", XDM_GROUP_NS);
        doc.appendChild(root);

        Element listService = add(root, LIST_SERVICE_NS, "list-service");
        listService.setAttribute("uri", group.uri());
        if (!group.displayName().isEmpty()) {
            add(listService, LIST_SERVICE_NS, "display-name").setTextContent(group.displayName());
        }
        Element list = add(listService, LIST_SERVICE_NS, "list");
        for (String member : group.members()) {
            add(list, LIST_SERVICE_NS, "entry").setAttribute("uri", member);
        }
        if (!group.supportedServices().isEmpty()) {
            Element services = add(listService, XDM_GROUP_NS, "oxg:supported-services");
            for (String service : group.supportedServices()) {
                add(services, XDM_GROUP_NS, "oxg:service").setAttribute("enabler", service);
            }
        }
        Element ruleset = add(listService, COMMON_POLICY_NS, "cp:ruleset");
        switch (group.sendPolicy()) {
            case MEMBERS_ONLY -> {
                Element conditions = rule(ruleset, "members", true);
                add(conditions, LIST_SERVICE_NS, "is-list-member");
            }
            case DOMAIN_SUBSCRIBERS -> {
                Element identity = add(rule(ruleset, "domain-subscribers", true), COMMON_POLICY_NS, "cp:identity");
                add(identity, COMMON_POLICY_NS, "cp:many").setAttribute("domain", host(group.uri()));
            }
            case ALLOW_LIST -> allowList(ruleset, group.allowedSenders(), true);
        }
        if (group.sendPolicy() != SendPolicy.ALLOW_LIST && !group.allowedSenders().isEmpty()) {
            allowList(ruleset, group.allowedSenders(), false);
        }
        return serialize(doc);
    }

    // ---- parsing

    private static Document read(byte[] xml, String source) {
        DocumentBuilder builder = newBuilder();
        builder.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // not a fault of the document as far as import goes
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        try {
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            throw new XdmDocumentException(source, e.getLineNumber(), "not well-formed XML: " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new XdmDocumentException(source, -1, "cannot parse: " + e.getMessage(), e);
        }
    }

    private static List<String> members(Element list, String source) {
        if (list == null) {
            return List.of();
        }
        Set<String> members = new LinkedHashSet<>();
        for (Element child : children(list)) {
            String ns = child.getNamespaceURI();
            boolean listNamespace = LIST_SERVICE_NS.equals(ns) || RESOURCE_LISTS_NS.equals(ns);
            if (!listNamespace || "display-name".equals(child.getLocalName())) {
                continue; // extensions of other namespaces, the list's own name
            }
            switch (child.getLocalName()) {
                case "entry" -> {
                    String member = attribute(child, "uri");
                    if (member == null) {
                        throw new XdmDocumentException(source, "an <entry> of <list> has no uri attribute");
                    }
                    if (!MEMBER_URI.matcher(member).matches()) {
                        throw new XdmDocumentException(source, "entry uri '" + member + "' is not a sip:, sips: or tel: URI");
                    }
                    if (!members.add(member)) {
                        throw new XdmDocumentException(source, "entry " + member + " appears more than once");
                    }
                }
                case "external", "entry-ref" -> throw new XdmDocumentException(source, "<" + child.getLocalName()
                        + "> is not supported: list every member as <entry uri=\"...\"/>");
                default -> throw new XdmDocumentException(source, "unexpected " + describe(child) + " in <list>");
            }
        }
        return List.copyOf(members);
    }

    private static List<String> services(Element listService, String source) {
        List<String> services = new ArrayList<>();
        for (Element supported : children(listService, XDM_GROUP_NS, "supported-services")) {
            for (Element service : children(supported, XDM_GROUP_NS, "service")) {
                String enabler = attribute(service, "enabler");
                if (enabler == null) {
                    throw new XdmDocumentException(source, "an <oxg:service> has no enabler attribute");
                }
                if (!services.contains(enabler)) {
                    services.add(enabler);
                }
            }
        }
        return services;
    }

    /** The policy the ruleset grants; see the class comment. */
    private static Policy policy(Element ruleset, String groupUri, String source) {
        List<Policy> granting = new ArrayList<>();
        List<String> dormantAllowList = new ArrayList<>();
        for (Element rule : children(ruleset, COMMON_POLICY_NS, "rule")) {
            String ruleName = "cp:rule '" + rule.getAttribute("id") + "'";
            Boolean allows = allows(single(rule, COMMON_POLICY_NS, "actions", source, false), ruleName, source);
            if (allows == null) {
                continue; // a rule about something else (anonymity, key participants, ...)
            }
            Element conditions = single(rule, COMMON_POLICY_NS, "conditions", source, false);
            Policy policy = classify(conditions == null ? List.of() : children(conditions), groupUri, ruleName, source);
            if (allows) {
                if (policy == null) {
                    throw new XdmDocumentException(source, ruleName + " grants <" + ALLOW + "> under conditions this"
                            + " router cannot enforce; use <is-list-member/>, <cp:identity> with <cp:one id=...>"
                            + " entries, or <cp:identity><cp:many domain=\"" + host(groupUri) + "\"/>");
                }
                granting.add(policy);
            } else if (policy != null && policy.sendPolicy() == SendPolicy.ALLOW_LIST) {
                dormantAllowList.addAll(policy.allowedSenders());
            }
        }
        if (granting.isEmpty()) {
            throw new XdmDocumentException(source, "no cp:rule grants <" + ALLOW + ">true, so nobody could send to "
                    + groupUri);
        }
        if (granting.size() > 1) {
            throw new XdmDocumentException(source, granting.size() + " cp:rules grant <" + ALLOW + ">true; exactly"
                    + " one send policy per group is supported");
        }
        Policy policy = granting.get(0);
        return policy.sendPolicy() == SendPolicy.ALLOW_LIST ? policy
                : new Policy(policy.sendPolicy(), unique(dormantAllowList, source));
    }

    /** The {@code <allow-initiate-conference>} value of a rule's actions, null when it has none. */
    private static Boolean allows(Element actions, String ruleName, String source) {
        if (actions == null) {
            return null;
        }
        List<Element> allow = children(actions, LIST_SERVICE_NS, ALLOW);
        if (allow.isEmpty()) {
            return null;
        }
        if (allow.size() > 1) {
            throw new XdmDocumentException(source, ruleName + " has " + allow.size() + " <" + ALLOW + "> actions");
        }
        String value = allow.get(0).getTextContent().strip();
        return switch (value) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new XdmDocumentException(source, ruleName + ": <" + ALLOW + "> must be true or false,"
                    + " not '" + value + "'");
        };
    }

    /** The policy a rule's conditions express, null when they are not one of the supported shapes. */
    private static Policy classify(List<Element> conditions, String groupUri, String ruleName, String source) {
        if (conditions.size() != 1) {
            return null;
        }
        Element condition = conditions.get(0);
        if (is(condition, LIST_SERVICE_NS, "is-list-member")) {
            return new Policy(SendPolicy.MEMBERS_ONLY, List.of());
        }
        if (!is(condition, COMMON_POLICY_NS, "identity")) {
            return null;
        }
        List<Element> identities = children(condition);
        if (identities.size() == 1 && is(identities.get(0), COMMON_POLICY_NS, "many")) {
            Element many = identities.get(0);
            String domain = attribute(many, "domain");
            if (domain == null || !children(many).isEmpty()) {
                return null; // anyone, or a domain with exceptions
            }
            if (!domain.equalsIgnoreCase(host(groupUri))) {
                throw new XdmDocumentException(source, ruleName + ": <cp:many domain=\"" + domain + "\"> is not the"
                        + " group's domain " + host(groupUri) + "; only the home domain's subscribers can be allowed");
            }
            return new Policy(SendPolicy.DOMAIN_SUBSCRIBERS, List.of());
        }
        List<String> ids = new ArrayList<>();
        for (Element one : identities) {
            if (!is(one, COMMON_POLICY_NS, "one")) {
                return null;
            }
            String id = attribute(one, "id");
            if (id == null) {
                throw new XdmDocumentException(source, ruleName + ": a <cp:one> has no id attribute");
            }
            ids.add(id);
        }
        return new Policy(SendPolicy.ALLOW_LIST, unique(ids, source));
    }

    private static List<String> unique(List<String> ids, String source) {
        Set<String> seen = new LinkedHashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw new XdmDocumentException(source, "<cp:one id=\"" + id + "\"> appears more than once");
            }
        }
        return List.copyOf(seen);
    }

    private record Policy(SendPolicy sendPolicy, List<String> allowedSenders) {
    }

    // ---- writing

    /** Adds a cp:rule granting or refusing to initiate; returns its {@code cp:conditions}. */
    private static Element rule(Element ruleset, String id, boolean allow) {
        Element rule = add(ruleset, COMMON_POLICY_NS, "cp:rule");
        rule.setAttribute("id", id);
        Element conditions = add(rule, COMMON_POLICY_NS, "cp:conditions");
        Element actions = add(rule, COMMON_POLICY_NS, "cp:actions");
        add(actions, LIST_SERVICE_NS, ALLOW).setTextContent(Boolean.toString(allow));
        return conditions;
    }

    private static void allowList(Element ruleset, List<String> senders, boolean inForce) {
        Element identity = add(rule(ruleset, "allow-list", inForce), COMMON_POLICY_NS, "cp:identity");
        for (String sender : senders) {
            add(identity, COMMON_POLICY_NS, "cp:one").setAttribute("id", sender);
        }
    }

    private static Element add(Element parent, String namespace, String qualifiedName) {
        Element child = parent.getOwnerDocument().createElementNS(namespace, qualifiedName);
        parent.appendChild(child);
        return child;
    }

    private static byte[] serialize(Document doc) {
        try {
            TransformerFactory factory = TransformerFactory.newDefaultInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, StandardCharsets.UTF_8.name());
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            doc.setXmlStandalone(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write group document", e);
        }
    }

    // ---- DOM helpers

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance(); // the JDK's, never the classpath's
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser does not support secure processing", e);
        }
    }

    private static boolean is(Element element, String namespace, String localName) {
        return namespace.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName());
    }

    private static String describe(Element element) {
        String ns = element.getNamespaceURI();
        return "<" + element.getLocalName() + ">" + (ns == null ? " without namespace" : " in " + ns);
    }

    /** The attribute's value, stripped; null when absent or blank. */
    private static String attribute(Element element, String name) {
        if (!element.hasAttribute(name)) {
            return null;
        }
        String value = element.getAttribute(name).strip();
        return value.isEmpty() ? null : value;
    }

    private static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                result.add(e);
            }
        }
        return result;
    }

    private static List<Element> children(Element parent, String namespace, String localName) {
        return children(parent).stream().filter(e -> is(e, namespace, localName)).toList();
    }

    private static Element first(Element parent, String namespace, String localName) {
        List<Element> found = children(parent, namespace, localName);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The only such child; null when absent and optional; refuses several, or none when required. */
    private static Element single(Element parent, String namespace, String localName, String source, boolean required) {
        List<Element> found = children(parent, namespace, localName);
        if (found.size() > 1 || (required && found.isEmpty())) {
            throw new XdmDocumentException(source, "expected " + (required ? "exactly" : "at most") + " one <"
                    + localName + "> in <" + parent.getLocalName() + ">, found " + found.size());
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** The host of a SIP URI, lower case: {@code sip:family@CPM.example.com;x=y} gives {@code cpm.example.com}. */
    static String host(String sipUri) {
        String rest = sipUri.substring(sipUri.indexOf(':') + 1);
        rest = rest.substring(rest.indexOf('@') + 1);
        int end = rest.length();
        for (char c : new char[] {';', '?', ':', '>'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return rest.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
