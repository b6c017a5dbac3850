package org.cpmrouter.sip.urilist;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The URI list of a multiple-recipient request: an {@code application/resource-lists+xml} document (RFC 4826)
 * whose entries may carry the copy control attributes of RFC 5364 ({@code cp:copyControl} to, cc or bcc, default
 * to; {@code cp:anonymize}). A {@code <list>} inside the list is read as part of it (it is in the same document);
 * an {@code <external>} or {@code <entry-ref>} points to a list kept elsewhere and is kept apart as a
 * {@linkplain #references() reference}, which the service that reads the list decides about. Immutable.
 *
 * <p>The same document, written without bcc entries, is the {@code recipient-list-history} part (RFC 5364) a
 * recipient's copy carries.
 */
public final class RecipientList {

    /** Media type of the list part. */
    public static final String MEDIA_TYPE = "application/resource-lists+xml";
    /** Content-Disposition of the list part of a request (RFC 5365). */
    public static final String RECIPIENT_LIST = "recipient-list";
    /** Content-Disposition of the list part of a recipient's copy (RFC 5364). */
    public static final String RECIPIENT_LIST_HISTORY = "recipient-list-history";
    /** The option tag a multiple-recipient MESSAGE requires (RFC 5365). */
    public static final String OPTION_TAG = "recipient-list-message";

    static final String RL_NS = "urn:ietf:params:xml:ns:resource-lists";
    static final String CP_NS = "urn:ietf:params:xml:ns:copycontrol";

    /** How a recipient is addressed (RFC 5364): to and cc are shown to the other recipients, bcc never. */
    public enum CopyControl {
        TO, CC, BCC;

        String attribute() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One entry: the recipient's URI as written, its copy control, and whether others see it anonymized. */
    public record Entry(String uri, CopyControl copyControl, boolean anonymize) {

        public static Entry to(String uri) {
            return new Entry(uri, CopyControl.TO, false);
        }
    }

    private final List<Entry> entries;
    private final List<String> references;

    public RecipientList(List<Entry> entries, List<String> references) {
        this.entries = List.copyOf(entries);
        this.references = List.copyOf(references);
    }

    public static RecipientList of(List<Entry> entries) {
        return new RecipientList(entries, List.of());
    }

    /** The entries in document order, duplicates included (removing them is the service's job). */
    public List<Entry> entries() {
        return entries;
    }

    /** The lists the document points to ({@code external anchor} or {@code entry-ref ref} values). */
    public List<String> references() {
        return references;
    }

    /**
     * Reads a resource-lists document.
     *
     * @throws UriListFormatException when it is not well-formed XML, its root is not {@code resource-lists} in the
     *     RFC 4826 namespace, an entry has no {@code uri} or a copy control value is not to, cc or bcc
     */
    public static RecipientList parse(byte[] xml) {
        Document document;
        try {
            DocumentBuilder builder = secureBuilder();
            builder.setErrorHandler(new DefaultHandler());
            document = builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new UriListFormatException("recipient list is not well-formed XML: " + firstLine(e.getMessage()));
        }
        Element root = document.getDocumentElement();
        if (!"resource-lists".equals(root.getLocalName()) || !RL_NS.equals(root.getNamespaceURI())) {
            throw new UriListFormatException("recipient list is not a resource-lists document (RFC 4826): root <"
                    + root.getNodeName() + ">");
        }
        List<Entry> entries = new ArrayList<>();
        List<String> references = new ArrayList<>();
        collect(root, entries, references);
        return new RecipientList(entries, references);
    }

    private static void collect(Element parent, List<Entry> entries, List<String> references) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e) || !RL_NS.equals(e.getNamespaceURI())) {
                continue;
            }
            switch (e.getLocalName()) {
                case "list" -> collect(e, entries, references);
                case "entry" -> entries.add(entry(e));
                case "external" -> references.add(e.getAttribute("anchor").trim());
                case "entry-ref" -> references.add(e.getAttribute("ref").trim());
                default -> {
                    // display-name and extensions: not recipients
                }
            }
        }
    }

    private static Entry entry(Element e) {
        String uri = e.getAttribute("uri").trim();
        if (uri.isEmpty()) {
            throw new UriListFormatException("recipient list has an <entry> without a uri");
        }
        String copy = e.getAttributeNS(CP_NS, "copyControl").trim().toLowerCase(Locale.ROOT);
        CopyControl copyControl = switch (copy) {
            case "", "to" -> CopyControl.TO;
            case "cc" -> CopyControl.CC;
            case "bcc" -> CopyControl.BCC;
            default -> throw new UriListFormatException("recipient list entry " + uri + " has copyControl \"" + copy
                    + "\": to, cc or bcc (RFC 5364)");
        };
        String anonymize = e.getAttributeNS(CP_NS, "anonymize").trim().toLowerCase(Locale.ROOT);
        return new Entry(uri, copyControl, anonymize.equals("true") || anonymize.equals("1"));
    }

    /** The document, with every entry's copy control written out. */
    public byte[] toXml() {
        StringBuilder xml = new StringBuilder();
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n")
                .append("<resource-lists xmlns=\"").append(RL_NS).append("\" xmlns:cp=\"").append(CP_NS)
                .append("\">\r\n <list>\r\n");
        for (Entry entry : entries) {
            xml.append("  <entry uri=\"").append(escape(entry.uri())).append("\" cp:copyControl=\"")
                    .append(entry.copyControl().attribute()).append('"');
            if (entry.anonymize()) {
                xml.append(" cp:anonymize=\"true\"");
            }
            xml.append("/>\r\n");
        }
        xml.append(" </list>\r\n</resource-lists>\r\n");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;").replace(">", "&gt;");
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static DocumentBuilder secureBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance(); // the JDK's
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured securely", e);
        }
    }
}
