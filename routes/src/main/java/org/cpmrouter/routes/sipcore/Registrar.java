package org.cpmrouter.routes.sipcore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Message;
import org.cpmrouter.groupstore.Binding;
import org.cpmrouter.groupstore.RegistrationStore;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP/IP Core's registrar (RFC 3261 section 10.3): binds a subscriber's address of record to the contacts its
 * clients register, with expiry, in the registration store; answers {@code 200 OK} listing the current bindings,
 * {@code 404} for an address of record that is not a subscriber, {@code 423} for too short an interval.
 */
public final class Registrar {

    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);
    private static final Pattern EXPIRES_PARAM = Pattern.compile(";\\s*expires\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);

    private final SubscriberStore subscribers;
    private final RegistrationStore registrations;
    private final CpmAddresses addresses;
    private final int minExpires;
    private final int maxExpires;
    private final int defaultExpires;

    public Registrar(SubscriberStore subscribers, RegistrationStore registrations, CpmAddresses addresses,
                     int minExpires, int maxExpires, int defaultExpires) {
        this.subscribers = subscribers;
        this.registrations = registrations;
        this.addresses = addresses;
        this.minExpires = minExpires;
        this.maxExpires = maxExpires;
        this.defaultExpires = defaultExpires;
    }

    /** Handles one REGISTER held in the message, leaving the response status and headers in it. */
    public void register(Message request) {
        String callId = request.getHeader("Call-ID", "-", String.class);
        String aorText = addresses.canonical(request.getHeader("To", String.class));
        String aor = aorText == null ? null
                : subscribers.findByIdentity(aorText).map(s -> s.publicIdentity()).orElse(null);
        if (aor == null) {
            LOG.info("register callId={} aor={} refused: not a subscriber (404)", callId, aorText);
            throw new SipResponseException(404, "Not Found");
        }
        long cseq = cseqNumber(request.getHeader("CSeq", String.class));
        Integer expiresHeader = parseInt(request.getHeader("Expires", String.class));
        List<String> contacts = values(request.getHeader("Contact"));

        if (contacts.size() == 1 && contacts.get(0).trim().equals("*")) {
            if (expiresHeader == null || expiresHeader != 0) {
                throw new SipResponseException(400, "Wildcard Contact Needs Expires 0");
            }
            int removed = registrations.unbindAll(aor);
            LOG.info("register callId={} aor={} removed all {} bindings", callId, aor, removed);
        } else {
            for (String contact : contacts) {
                String uri = contactUri(contact);
                int expires = expiresOf(contact, expiresHeader);
                if (expires == 0) {
                    registrations.unbind(aor, uri);
                    LOG.info("register callId={} aor={} contact={} removed", callId, aor, uri);
                    continue;
                }
                if (expires < minExpires) {
                    throw new SipResponseException(423, "Interval Too Brief", List.of("Min-Expires: " + minExpires));
                }
                int granted = Math.min(expires, maxExpires);
                registrations.bind(aor, uri, granted, callId, cseq);
                LOG.info("register callId={} aor={} contact={} expires={}", callId, aor, uri, granted);
            }
        }
        List<String> lines = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Binding b : registrations.activeBindings(aor)) {
            lines.add("Contact: <" + b.contact() + ">;expires=" + b.remainingSeconds(now));
        }
        request.setHeader(SipMessageConstants.RESPONSE_HEADERS, lines);
        request.setHeader(SipMessageConstants.STATUS_CODE, 200);
        request.setHeader(SipMessageConstants.REASON_PHRASE, "OK");
    }

    private int expiresOf(String contact, Integer expiresHeader) {
        Matcher m = EXPIRES_PARAM.matcher(contact.substring(Math.max(0, contact.indexOf('>'))));
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        return expiresHeader != null ? expiresHeader : defaultExpires;
    }

    static String contactUri(String contact) {
        int lt = contact.indexOf('<');
        int gt = contact.indexOf('>', lt + 1);
        if (lt >= 0 && gt > lt) {
            return contact.substring(lt + 1, gt).trim();
        }
        return contact.split(";", 2)[0].trim();
    }

    private static List<String> values(Object header) {
        if (header == null) {
            return List.of();
        }
        if (header instanceof Collection<?>) {
            return ((Collection<?>) header).stream().map(Object::toString).toList();
        }
        return List.of(header.toString());
    }

    private static Integer parseInt(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new SipResponseException(400, "Bad Expires");
        }
    }

    private static long cseqNumber(String cseq) {
        try {
            return cseq == null ? 0 : Long.parseLong(cseq.trim().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
