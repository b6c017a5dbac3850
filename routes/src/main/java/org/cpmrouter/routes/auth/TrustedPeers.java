package org.cpmrouter.routes.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.Message;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.path.ListRecipients;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust domain of RFC 3325: identity and leg headers (and Referred-By, which names the original sender of a
 * group message, and the URI-list service's {@link ListRecipients}) are believed only from the peers listed in
 * {@code cpm.sip.trusted-peers} (other router nodes, an IMS core in front). From anyone else they are removed
 * before any rule sees the request, so a client cannot claim another's identity or skip a leg.
 */
public final class TrustedPeers {

    private static final Logger LOG = LoggerFactory.getLogger(TrustedPeers.class);
    private static final List<String> TRUST_ONLY_HEADERS =
            List.of(CpmHeaders.P_ASSERTED_IDENTITY, CpmHeaders.P_SERVED_USER, ServedUserMarker.SERVED_LEG,
                    CpmHeaders.P_ASSERTED_SERVICE, CpmHeaders.REFERRED_BY, ListRecipients.HEADER);

    private final Set<String> peers;
    private final Set<String> addresses;
    private final List<String> listed;
    /** ip:port trusted for a while by the router itself (its startup warm-up's loopback client); none mostly. */
    private volatile Set<String> admitted = Set.of();

    /** The peers of {@code cpm.sip.trusted-peers}. */
    public static TrustedPeers from(RouterConfig config) {
        return new TrustedPeers(config.getList("cpm.sip.trusted-peers"));
    }

    /** @param peers entries {@code ip} (any port) or {@code ip:port} */
    public TrustedPeers(List<String> peers) {
        this.peers = Set.copyOf(peers);
        this.listed = List.copyOf(peers);
        this.addresses = peers.stream().map(TrustedPeers::addressOf)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The address of an entry {@code ip} or {@code ip:port} ({@code [v6]:port} too). */
    private static String addressOf(String entry) {
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            return end > 0 ? entry.substring(1, end) : entry;
        }
        int colon = entry.indexOf(':');
        return colon > 0 && colon == entry.lastIndexOf(':') ? entry.substring(0, colon) : entry;
    }

    /**
     * Whether any entry names this address (on any port): such a source is never counted for bans nor banned. While
     * the router trusts a socket of its own ({@link #admit}), its address counts too: the bans see addresses, not
     * ports, and the startup warm-up's thousands of MESSAGEs a second from 127.0.0.1 would otherwise ban loopback
     * (and with it a core on the same host) for {@code cpm.flood.ban-seconds}.
     */
    public boolean isTrustedAddress(String address) {
        Set<String> self = admitted;
        return addresses.contains(address)
                || !self.isEmpty() && self.stream().anyMatch(peer -> addressOf(peer).equals(address));
    }

    /** For the startup line: the peers as configured, or that there are none. */
    public String describe() {
        return listed.isEmpty() ? "none" : String.join(",", listed);
    }

    public boolean isTrusted(String address, int port) {
        Set<String> self = admitted;
        return peers.contains(address) || peers.contains(address + ":" + port)
                || !self.isEmpty() && self.contains(address + ":" + port);
    }

    /**
     * Trusts {@code address:port} as well until the returned admission is closed: for a socket of the router's own
     * (the startup warm-up's client on loopback), never for a configured peer.
     */
    public synchronized TemporaryGrant admit(String address, int port) {
        String peer = address + ":" + port;
        Set<String> more = new HashSet<>(admitted);
        more.add(peer);
        admitted = Set.copyOf(more);
        LOG.debug("trusting {} (the router's own) until it is done", peer);
        return () -> revoke(peer);
    }

    private synchronized void revoke(String peer) {
        Set<String> fewer = new HashSet<>(admitted);
        fewer.remove(peer);
        admitted = Set.copyOf(fewer);
    }

    /** Removes the trust-only headers from a request that did not come from a trusted peer. */
    public void screen(Message message) {
        String address = message.getHeader(SipMessageConstants.REMOTE_ADDRESS, "", String.class);
        Integer port = message.getHeader(SipMessageConstants.REMOTE_PORT, 0, Integer.class);
        if (isTrusted(address, port)) {
            return;
        }
        for (String name : TRUST_ONLY_HEADERS) {
            if (message.removeHeader(name) != null) {
                LOG.info("callId={} removed {} from untrusted {}:{}", LogText.of(message.getHeader("Call-ID")), name,
                        address, port);
            }
        }
    }
}
