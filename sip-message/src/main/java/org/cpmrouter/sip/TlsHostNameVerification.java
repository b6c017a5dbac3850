package org.cpmrouter.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.sip.address.Hop;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.TlsSecurityPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host-name verification of every TLS connection a node opens (RFC 5922 section 7.2; the RI checks only that the
 * certificate chains to the trust store): after the handshake, the host of the next hop the node connects to must be
 * named by the peer's certificate, or the connection is refused before anything is sent on it, with one log line and
 * one security event. The host matches:
 *
 * <ul>
 * <li>a domain: a {@code sip:}/{@code sips:} URI subject alternative name with that host, or a DNS name equal to it
 *     (case-insensitive; wildcards are never accepted, RFC 5922 7.2); the subject's CN only when the certificate has
 *     no subject alternative name of these kinds;</li>
 * <li>an IP address (a hop or a registered contact given by address): an IP address subject alternative name equal
 *     to it.</li>
 * </ul>
 *
 * Hops listed in {@code unverifiedHops} ({@code host} or {@code host:port}) are not checked: unsafe, since anyone
 * holding a certificate from a trusted CA can then stand in for that hop.
 */
final class TlsHostNameVerification implements TlsSecurityPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(TlsHostNameVerification.class);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.]+]?");
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    private final Set<String> unverified;
    private final Consumer<ClientTransactionExt> onRefused;

    /** @param onRefused told of each transaction whose connection is refused (its request fails at once) */
    TlsHostNameVerification(List<String> unverifiedHops, Consumer<ClientTransactionExt> onRefused) {
        this.unverified = Set.copyOf(unverifiedHops.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList());
        this.onRefused = onRefused;
    }

    @Override
    public void enforceTlsPolicy(ClientTransactionExt transaction) throws SecurityException {
        Hop hop = transaction == null ? null : transaction.getNextHop();
        if (hop == null) {
            refuse(transaction, "?", -1, "-", "the next hop is unknown, so its host name cannot be verified");
            return;
        }
        String host = hop.getHost().toLowerCase(Locale.ROOT);
        if (unverified.contains(host) || unverified.contains(host + ":" + hop.getPort())) {
            LOG.debug("tls host name of {}:{} not verified (cpm.sip.tls.unverified-hops)", host, hop.getPort());
            return;
        }
        X509Certificate peer;
        try {
            Certificate[] chain = transaction.getPeerCertificates();
            peer = chain != null && chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            peer = null;
        }
        String callId = callIdOf(transaction);
        if (peer == null) {
            refuse(transaction, host, hop.getPort(), callId, "the peer presented no certificate");
            return;
        }
        List<String> names = new ArrayList<>();
        if (!names(peer, host, names)) {
            refuse(transaction, host, hop.getPort(), callId, "its certificate names " + (names.isEmpty() ? "nothing"
                    : String.join(", ", names)) + ", not " + host);
        }
    }

    /** Whether the certificate names {@code host}; {@code seen} gets every name it gives, for the log. */
    static boolean names(X509Certificate certificate, String host, List<String> seen) {
        boolean ip = isIpLiteral(host);
        String wantedIp = ip ? normalizedIp(host) : null;
        boolean hasDomainNames = false;
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            sans = null;
        }
        boolean match = false;
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (type == SAN_URI) {
                    hasDomainNames = true;
                    seen.add("URI:" + value);
                    String lower = value.toLowerCase(Locale.ROOT);
                    String domain = lower.startsWith("sips:") ? lower.substring(5)
                            : lower.startsWith("sip:") ? lower.substring(4) : null;
                    match |= !ip && domain != null && !domain.contains("@") && domain.equals(host);
                } else if (type == SAN_DNS) {
                    hasDomainNames = true;
                    seen.add("DNS:" + value);
                    match |= !ip && value.equalsIgnoreCase(host); // no wildcards (RFC 5922 7.2)
                } else if (type == SAN_IP) {
                    seen.add("IP:" + value);
                    match |= ip && wantedIp != null && wantedIp.equals(normalizedIp(value));
                }
            }
        }
        if (!match && !ip && !hasDomainNames) {
            String cn = commonName(certificate);
            if (cn != null) {
                seen.add("CN:" + cn);
                match = cn.equalsIgnoreCase(host);
            }
        }
        return match;
    }

    private static boolean isIpLiteral(String host) {
        return IP_LITERAL.matcher(host).matches() && (host.contains(":") || host.chars().filter(c -> c == '.')
                .count() == 3);
    }

    /** An IP literal in the JDK's form (never a DNS lookup: only literals get here); null if it is none. */
    private static String normalizedIp(String literal) {
        String bare = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1)
                : literal;
        if (!IP_LITERAL.matcher(bare).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(bare).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static String callIdOf(ClientTransactionExt transaction) {
        try {
            return String.valueOf(transaction.getRequest().getHeader("Call-ID")).replaceFirst("^Call-ID:\\s*", "")
                    .trim();
        } catch (RuntimeException e) {
            return "-";
        }
    }

    private void refuse(ClientTransactionExt transaction, String host, int port, String callId, String why) {
        LOG.warn("tls callId={} refused the TLS connection to {}:{}: {} (RFC 5922 host name verification; "
                + "cpm.sip.tls.unverified-hops skips it for a hop, unsafely)", LogText.of(callId), LogText.of(host),
                port, why);
        SecurityEvents.refused(host, "tls-host-name", 503, null, callId, "next hop " + host + ":" + port + ": " + why);
        onRefused.accept(transaction);
        throw new SecurityException("TLS peer " + host + ":" + port + " not verified: " + why);
    }
}
