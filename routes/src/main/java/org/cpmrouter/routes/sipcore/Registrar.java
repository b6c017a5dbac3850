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
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP/IP Core's registrar (RFC 3261 section 10.3): binds a subscriber's address of record to the contacts its
 * clients register, with expiry, in the registration store; answers {@code 200 OK} listing the current bindings,
 * {@code 404} for an address of record that is not a subscriber, {@code 423} for too short an interval.
 *
 * <p>A REGISTER that came through proxies asking to stay on the path to the client (a P-CSCF or an edge proxy
 * adds {@code Path}, RFC 3327) has its {@code Path} entries stored with each contact it binds and returned in the
 * {@code 200}; deliveries to those contacts are then routed through them ({@link RecipientDeliveryRoute}). To such
 * a REGISTER the {@code 200} also carries {@code Service-Route} (RFC 3608) when {@code cpm.registrar.service-route}
 * is set: the route the core in front puts on the client's later requests to reach this router.
 */
public final class Registrar {

    /** Exchange property: the address of record a REGISTER bound a contact for (absent when it bound none). */
    public static final String REGISTERED = "cpmRegisteredAor";

    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);
    private static final Pattern EXPIRES_PARAM = Pattern.compile(";\\s*expires\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern INSTANCE_PARAM = Pattern.compile(";\\s*\\+sip\\.instance\\s*=\\s*\"([^\"]*)\"",
            Pattern.CASE_INSENSITIVE);

    private final SubscriberStore subscribers;
    private final RegistrationStore registrations;
    private final CpmAddresses addresses;
    private final int minExpires;
    private final int maxExpires;
    private final int defaultExpires;
    private final String serviceRoute;

    public Registrar(SubscriberStore subscribers, RegistrationStore registrations, CpmAddresses addresses,
                     int minExpires, int maxExpires, int defaultExpires, String serviceRoute) {
        this.subscribers = subscribers;
        this.registrations = registrations;
        this.addresses = addresses;
        this.minExpires = minExpires;
        this.maxExpires = maxExpires;
        this.defaultExpires = defaultExpires;
        this.serviceRoute = serviceRoute == null ? "" : serviceRoute.trim();
    }

    /** The registrar of the {@code cpm.registrar.*} settings. */
    public static Registrar from(RouterConfig config, SubscriberStore subscribers, RegistrationStore registrations,
                                 CpmAddresses addresses) {
        String serviceRoute = config.get("cpm.registrar.service-route").trim();
        if (!serviceRoute.isEmpty() && nameAddrs(serviceRoute).stream().anyMatch(r -> !isSipNameAddr(r))) {
            throw new IllegalArgumentException("cpm.registrar.service-route must be SIP URIs in angle brackets, "
                    + "such as <sip:cpm-router.example.net:5060;lr>, got '" + serviceRoute + "'");
        }
        return new Registrar(subscribers, registrations, addresses, config.getInt("cpm.registrar.min-expires"),
                config.getInt("cpm.registrar.max-expires"), config.getInt("cpm.registrar.default-expires"),
                serviceRoute);
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
        List<String> path = pathOf(request, callId);

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
                registrations.bind(aor, uri, granted, callId, cseq, path, instanceOf(contact));
                request.getExchange().setProperty(REGISTERED, aor);
                LOG.info("register callId={} aor={} contact={} expires={}{}", callId, aor, uri, granted,
                        path.isEmpty() ? "" : " path=" + path);
            }
        }
        List<String> lines = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Binding b : registrations.activeBindings(aor)) {
            lines.add("Contact: <" + b.contact() + ">;expires=" + b.remainingSeconds(now));
        }
        if (!path.isEmpty()) {
            lines.add("Path: " + String.join(", ", path));
            if (!serviceRoute.isEmpty()) {
                lines.add("Service-Route: " + serviceRoute);
            }
        }
        request.setHeader(SipMessageConstants.RESPONSE_HEADERS, lines);
        request.setHeader(SipMessageConstants.STATUS_CODE, 200);
        request.setHeader(SipMessageConstants.REASON_PHRASE, "OK");
    }

    /** The REGISTER's Path entries, in order; 400 when one is not a SIP URI in angle brackets. */
    private static List<String> pathOf(Message request, String callId) {
        List<String> path = new ArrayList<>();
        for (String value : values(request.getHeader("Path"))) {
            path.addAll(nameAddrs(value));
        }
        for (String entry : path) {
            if (!isSipNameAddr(entry)) {
                LOG.info("register callId={} refused: Path entry {} is not a SIP URI in angle brackets (400)", callId,
                        entry);
                throw new SipResponseException(400, "Bad Path");
            }
        }
        return path;
    }

    /** The comma-separated entries of an address list, commas inside {@code <>} or quotes left alone. */
    static List<String> nameAddrs(String list) {
        List<String> entries = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"' && (i == 0 || list.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                depth++;
            } else if (!quoted && c == '>') {
                depth = Math.max(0, depth - 1);
            } else if (!quoted && depth == 0 && c == ',') {
                entries.add(list.substring(start, i).trim());
                start = i + 1;
            }
        }
        entries.add(list.substring(start).trim());
        entries.removeIf(String::isEmpty);
        return entries;
    }

    private static boolean isSipNameAddr(String entry) {
        String lower = entry.toLowerCase(java.util.Locale.ROOT);
        int gt = lower.indexOf('>');
        return lower.startsWith("<") && gt > 0 && (lower.startsWith("<sip:") || lower.startsWith("<sips:"));
    }

    /** The contact's {@code +sip.instance} (RFC 5626), which names the device across contacts; empty when none. */
    static String instanceOf(String contact) {
        Matcher m = INSTANCE_PARAM.matcher(contact.substring(Math.max(0, contact.indexOf('>'))));
        return m.find() ? m.group(1).trim() : "";
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
