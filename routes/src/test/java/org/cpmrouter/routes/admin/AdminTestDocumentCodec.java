package org.cpmrouter.routes.admin;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.cpmrouter.groupstore.Group;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A small stand-in for the group store's XDM codec (uri, display-name, entries only; no ruleset needed), so the
 * admin API's document resource is tested apart from the codec's rules. Refuses anything it cannot read.
 */
final class AdminTestDocumentCodec implements GroupDocumentCodec {

    static final String NS = "urn:oma:xml:poc:list-service";

    @Override
    public Group parse(byte[] xml, String sourceName) throws InvalidDocumentException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Document d = b.parse(new ByteArrayInputStream(xml));
            NodeList services = d.getElementsByTagNameNS(NS, "list-service");
            if (services.getLength() != 1) {
                throw new InvalidDocumentException("group document " + sourceName + ": expected one list-service element", null);
            }
            Element service = (Element) services.item(0);
            NodeList names = service.getElementsByTagNameNS(NS, "display-name");
            List<String> members = new ArrayList<>();
            NodeList entries = service.getElementsByTagNameNS(NS, "entry");
            for (int i = 0; i < entries.getLength(); i++) {
                members.add(((Element) entries.item(i)).getAttribute("uri"));
            }
            return Group.of(service.getAttribute("uri"),
                    names.getLength() > 0 ? names.item(0).getTextContent() : "", members);
        } catch (InvalidDocumentException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidDocumentException("group document " + sourceName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] write(Group group) {
        return document(group.uri(), group.displayName(), group.members()).getBytes(StandardCharsets.UTF_8);
    }

    static String document(String uri, String displayName, List<String> members) {
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<group xmlns=\"" + NS
                + "\">\n  <list-service uri=\"" + uri + "\">\n    <display-name>" + displayName
                + "</display-name>\n    <list>\n");
        for (String m : members) {
            s.append("      <entry uri=\"").append(m).append("\"/>\n");
        }
        return s.append("    </list>\n  </list-service>\n</group>\n").toString();
    }
}
