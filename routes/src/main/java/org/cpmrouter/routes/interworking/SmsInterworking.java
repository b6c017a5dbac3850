package org.cpmrouter.routes.interworking;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;
import org.cpmrouter.smpp.SmppLink;
import org.cpmrouter.smpp.SmppLinkConfig;
import org.cpmrouter.smpp.testpeer.SmscTestPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's SMPP link to the SMSC ({@code cpm.smsc.*}), started and stopped with the Camel context: it binds in
 * the background and keeps the link up, so the router starts even while the SMSC is down (messages to SMS users
 * then get 503 until it binds). With {@code cpm.smsc.embedded-test-peer}, it first starts the SMSC test peer in
 * this process, for the demo; when another router of the host runs it already (its port is taken), it binds to
 * that one instead.
 */
public final class SmsInterworking extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SmsInterworking.class);
    /** How long start waits for the first bind, so a demo's first message does not race the bind. */
    private static final long FIRST_BIND_WAIT_MS = 3000;

    private final RouterConfig config;
    private final CamelContext context;
    private final SubscriberStore subscribers;
    private final CpmAddresses addresses;
    private final NonCpmServiceIdentifier identifier;
    private final SmsReceipts receipts;
    private volatile SmscTestPeer testPeer;
    private volatile SmppLink link;

    SmsInterworking(RouterConfig config, CamelContext context, SubscriberStore subscribers, CpmAddresses addresses,
                    NonCpmServiceIdentifier identifier, SmsReceipts receipts) {
        this.config = config;
        this.context = context;
        this.subscribers = subscribers;
        this.addresses = addresses;
        this.identifier = identifier;
        this.receipts = receipts;
    }

    /** The running link; {@code null} before start. */
    SmppLink link() {
        return link;
    }

    @Override
    protected void doStart() throws Exception {
        String host = config.get("cpm.smsc.host");
        int port = config.getInt("cpm.smsc.port");
        if (Boolean.parseBoolean(config.get("cpm.smsc.embedded-test-peer"))) {
            startTestPeer(host, port);
        }
        SmppLinkConfig linkConfig = new SmppLinkConfig(host, port, config.get("cpm.smsc.system-id"),
                config.get("cpm.smsc.password"), config.get("cpm.smsc.system-type"),
                config.getInt("cpm.smsc.enquire-link-interval-ms"), config.getInt("cpm.smsc.reconnect-delay-ms"),
                config.getInt("cpm.smsc.response-timeout-ms"));
        link = SmppLink.start(linkConfig, new SmsOriginatedDelivery(context,
                context.resolvePropertyPlaceholders(Hops.via(Hops.CORE_HOP)), subscribers, addresses, identifier,
                receipts));
        if (!link.awaitBound(FIRST_BIND_WAIT_MS)) {
            LOG.warn("SMSC {}:{} not bound yet; binding goes on in the background (SMS senders get 503 meanwhile)",
                    host, port);
        }
    }

    /**
     * Starts the embedded SMSC test peer, unless its address is taken: then another router of this host (the second
     * node of the README's two-router steps) runs the test peer already, and this router binds to that one, as
     * routers bind to one SMSC in production.
     */
    private void startTestPeer(String host, int port) throws java.io.IOException {
        try {
            testPeer = SmscTestPeer.start(host, port, config.get("cpm.smsc.system-id"), config.get("cpm.smsc.password"));
        } catch (java.io.IOException e) {
            if (!(e instanceof java.net.BindException) && !(e.getCause() instanceof java.net.BindException)) {
                throw e;
            }
            LOG.warn("SMSC test peer not started: {}:{} is in use, by another router's test peer presumably; this"
                    + " router binds to whatever SMSC listens there (cpm.smsc.embedded-test-peer=false says so"
                    + " without this line)", host, port);
            return;
        }
        LOG.warn("SMSC TEST PEER started on {}:{} (cpm.smsc.embedded-test-peer=true): for demos and tests, not an"
                + " SMSC; in production set it false and point cpm.smsc.* at the operator's SMSC", host, port);
    }

    @Override
    protected void doStop() {
        SmppLink l = link;
        if (l != null) {
            l.close();
        }
        SmscTestPeer peer = testPeer;
        if (peer != null) {
            peer.close();
        }
    }
}
