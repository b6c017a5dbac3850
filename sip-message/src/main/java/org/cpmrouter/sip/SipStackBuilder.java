package org.cpmrouter.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the JAIN-SIP stack behind a {@link SipNode}: the stack's properties, its listening points (UDP and/or TCP
 * on the node's port, TLS on a port of its own) and, for port 0, a port free on every transport. It knows nothing
 * of what the node does with requests: {@link Wiring} attaches that before the stack starts.
 */
final class SipStackBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SipNode.class); // the node's log, as before the split
    private static final AtomicInteger STACK_COUNTER = new AtomicInteger();

    /** A stack with its listening points, not started yet. */
    record Opened(SipNodeConfig config, SipStack stack, SipProvider provider, SipFactory factory, int port,
                  int tlsPort) {
    }

    /** Attaches the node to an opened stack (listener, parser hooks); the stack starts after it returns. */
    @FunctionalInterface
    interface Wiring<T> {
        T wire(Opened opened) throws Exception;
    }

    private SipStackBuilder() {
    }

    /**
     * Opens, wires and starts a stack bound to the configured address. Port 0 picks a port that is free on every
     * configured transport (the RI cannot bind port 0 itself), trying another when one is taken meanwhile.
     */
    static <T> T start(SipNodeConfig config, Wiring<T> wiring) throws SipException {
        if (config.port() != 0) {
            return startOn(config, config.port(), wiring);
        }
        SipException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return startOn(config, freePort(config.host()), wiring);
            } catch (SipException e) {
                last = e; // another process took the port between the probe and the bind: try another
            }
        }
        throw last;
    }

    private static <T> T startOn(SipNodeConfig config, int port, Wiring<T> wiring) throws SipException {
        int tlsPort = -1;
        if (config.tls() != null) {
            config.tls().check();
            tlsPort = config.tls().port() != 0 ? config.tls().port() : freeTcpPort(config.host(), port);
        }
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        SipStack stack;
        try {
            stack = factory.createSipStack(properties(config, port));
        } catch (PeerUnavailableException e) {
            throw new SipException("cannot create the SIP stack: " + e.getMessage(), e);
        }
        try {
            NoDelayNetworkLayer.install(stack); // before any listening point opens a socket
            SipProvider provider = null;
            int boundPort = port;
            for (String transport : config.transports()) {
                if (transport.equals("udp") && config.leanUdp()) {
                    continue; // the node's LeanUdpTransport binds it
                }
                boolean tls = transport.equals("tls");
                ListeningPoint lp = stack.createListeningPoint(config.host(), tls ? tlsPort : boundPort, transport);
                if (!tls) {
                    boundPort = lp.getPort();
                }
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                } else {
                    provider.addListeningPoint(lp);
                }
            }
            if (provider == null) {
                // lean UDP alone: the stack still needs a listening point to give a provider (the factories, the
                // router); an idle one on a free loopback port, never advertised, nothing is sent from it
                provider = stack.createSipProvider(stack.createListeningPoint("127.0.0.1", freePort("127.0.0.1"),
                        "udp"));
            }
            boolean tlsOnly = config.transports().equals(List.of("tls"));
            T node = wiring.wire(new Opened(config, stack, provider, factory, tlsOnly ? tlsPort : boundPort, tlsPort));
            stack.start();
            if (!tlsOnly) {
                LOG.info("SIP node listening on {}:{} ({}{})", config.host(), boundPort,
                        String.join("+", config.transports()), config.leanUdp() ? ", UDP on the lean path" : "");
            }
            if (config.tls() != null) {
                LOG.info("SIP node TLS on {}:{} ({})", config.host(), tlsPort, config.tls().describe());
            }
            return node;
        } catch (Exception e) {
            stack.stop();
            throw new SipException("cannot listen on " + config.host() + ":" + port + " "
                    + config.transports() + ": " + e.getMessage(), e);
        }
    }

    /** The JAIN-SIP properties of a node's stack; the config's TLS and extra stack properties come last. */
    static Properties properties(SipNodeConfig config, int port) {
        Properties props = new Properties();
        props.setProperty("javax.sip.STACK_NAME",
                "cpm-" + config.host() + "-" + port + "-" + STACK_COUNTER.incrementAndGet());
        props.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        props.setProperty("javax.sip.ROUTER_PATH", HopAwareRouter.class.getName());
        props.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        props.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        props.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        props.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "ERROR");
        // the listener never blocks, so the stack may call it from its reader threads directly
        props.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        props.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(config.threadPoolSize()));
        // the RI allocates this much per received datagram and queues it: keep its 8 KiB (pager mode is <= 1300 B)
        props.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "8192");
        // a burst or a GC pause must not overflow the kernel's UDP queue (capped by net.core.rmem_max)
        props.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "4194304");
        props.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", "4194304");
        // a datagram that waited longer than this in the stack's receive queue is dropped unread (the sender has
        // retransmitted it by then): a bound on memory under overload, where the RI's queue has no limit of its own
        props.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT",
                Integer.toString(SipNode.DEFAULT_QUEUE_TIMEOUT_MS));
        // a transaction that lingers for its timers (32 s for a UDP server transaction) keeps only what matching
        // a retransmission and resending the final response need, not the parsed request: a large part of the
        // heap under load, and of the garbage collector's work. Nothing here reads a request back from a
        // completed transaction.
        props.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Aggressive");
        // overload control refuses new UDP requests before parsing them, while the node is full; what it lets
        // through goes to the screening parser: malformed requests are answered 400 (505 for another SIP version)
        // on every transport, not forgiven
        props.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", EarlyRefusalParserFactory.class.getName());
        props.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        props.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
        if (config.tls() != null) {
            props.putAll(config.tls().stackProperties());
        }
        props.putAll(config.stackProperties());
        return props;
    }

    /** A port free on host for both UDP and TCP. */
    static int freePort(String host) throws SipException {
        try {
            InetAddress address = InetAddress.getByName(host);
            for (int attempt = 0; attempt < 20; attempt++) {
                int candidate;
                try (DatagramSocket udp = new DatagramSocket(0, address)) {
                    candidate = udp.getLocalPort();
                }
                try (ServerSocket tcp = new ServerSocket(candidate, 1, address)) {
                    return candidate;
                } catch (IOException taken) {
                    // the TCP side of that port is in use; try another
                }
            }
        } catch (IOException e) {
            throw new SipException("cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
        throw new SipException("cannot find a port free on both UDP and TCP on " + host);
    }

    /** A TCP port free on host for the TLS listening point, other than the node's TCP port. */
    static int freeTcpPort(String host, int notThis) throws SipException {
        try {
            InetAddress address = InetAddress.getByName(host);
            for (int attempt = 0; attempt < 20; attempt++) {
                try (ServerSocket tcp = new ServerSocket(0, 1, address)) {
                    if (tcp.getLocalPort() != notThis) {
                        return tcp.getLocalPort();
                    }
                }
            }
        } catch (IOException e) {
            throw new SipException("cannot find a free TLS port on " + host + ": " + e.getMessage(), e);
        }
        throw new SipException("cannot find a free TLS port on " + host);
    }
}
