package org.cpmrouter.client;

import java.text.ParseException;

import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;

/** Whether a string is an address the client can send to or as: the SIP stack's own parser decides. */
final class Addresses {

    private static final AddressFactory FACTORY = factory();

    private Addresses() {
    }

    /** A {@code sip:}/{@code sips:} URI with a host, or a {@code tel:} URI, as JAIN-SIP parses them; no spaces. */
    static boolean isValid(String uri) {
        // the parser stops at a space and takes what came before it
        if (uri.chars().anyMatch(c -> Character.isWhitespace(c) || c == '<' || c == '>' || c == '"')) {
            return false;
        }
        try {
            URI parsed = FACTORY.createURI(uri);
            return !(parsed instanceof SipURI sip) || sip.getHost() != null && !sip.getHost().isBlank();
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    private static AddressFactory factory() {
        try {
            SipFactory sip = SipFactory.getInstance();
            sip.setPathName("gov.nist");
            return sip.createAddressFactory();
        } catch (PeerUnavailableException e) {
            throw new IllegalStateException("no JAIN-SIP address factory", e);
        }
    }
}
