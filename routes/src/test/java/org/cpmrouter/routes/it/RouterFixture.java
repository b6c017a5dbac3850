package org.cpmrouter.routes.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.client.ClientConfig;
import org.cpmrouter.client.CpmClient;
import org.cpmrouter.client.ReceivedMessage;
import org.cpmrouter.client.SendResult;
import org.cpmrouter.routes.CpmRouter;
import org.cpmrouter.routes.config.RouterConfig;

/**
 * A whole router started in-process on a free port of 127.0.0.1 with the shipped config/ and rules/, a data
 * directory of the test's, and the clients a test makes. Everything it started is stopped by {@link #close()}.
 */
final class RouterFixture implements AutoCloseable {

    static final String DOMAIN = "cpm.example.com";

    final CpmRouter router;
    final int port;
    final int adminPort;
    private final List<CpmClient> clients = new ArrayList<>();

    private RouterFixture(CpmRouter router, int port, int adminPort) {
        this.router = router;
        this.port = port;
        this.adminPort = adminPort;
    }

    static Path home() {
        return Path.of(System.getProperty("cpm.home", "..")).toAbsolutePath().normalize();
    }

    /** The text of a test rule file in {@code src/test/resources/drl/}, e.g. {@code bar-bob.drl}. */
    static String drlFixture(String name) {
        try (InputStream in = RouterFixture.class.getResourceAsStream("/drl/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test fixture /drl/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RouterFixture start(Path dataDir) throws Exception {
        return start(dataDir, freePort(), Map.of());
    }

    static RouterFixture start(Path dataDir, int port, Map<String, String> extra) throws Exception {
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("cpm.sip.port", Integer.toString(port));
        overrides.put("cpm.data.dir", dataDir.toString());
        overrides.putIfAbsent("cpm.admin.port", Integer.toString(freePort()));
        // the embedded SMSC test peer (on by default) must not take the fixed SMPP port of another router
        overrides.putIfAbsent("cpm.smsc.port", Integer.toString(freePort()));
        overrides.putIfAbsent("cpm.sip.tls-port", Integer.toString(freePort()));
        // the shipped default warms the SIP path for 3 s before the ready line; tests start routers by the dozen
        // and measure no throughput (StartupWarmUpIT and DistributionIT run it)
        overrides.putIfAbsent("cpm.startup.warm-up", "false");
        RouterConfig config = RouterConfig.load(home().resolve("config"), home(), Map.of(), overrides);
        return new RouterFixture(CpmRouter.start(config), port, config.getInt("cpm.admin.port"));
    }

    /** A UDP+TCP port that is free right now on 127.0.0.1. */
    static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (DatagramSocket udp = new DatagramSocket(0, loopback)) {
                candidate = udp.getLocalPort();
            }
            try (ServerSocket tcp = new ServerSocket(candidate, 1, loopback)) {
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port");
    }

    static String uri(String user) {
        return "sip:" + user + "@" + DOMAIN;
    }

    CpmClient client(String user) throws Exception {
        return client(user, "udp");
    }

    /** A client of a user with the demo password ({@link #password}); the router challenges clients. */
    CpmClient client(String user, String transport) throws Exception {
        return clientWithPassword(user, transport, password(user));
    }

    /** A client with this password ({@code null}: none). */
    CpmClient clientWithPassword(String user, String transport, String password) throws Exception {
        CpmClient c = CpmClient.start(ClientConfig.of(uri(user), "127.0.0.1", port).withTransport(transport)
                .withPassword(password));
        clients.add(c);
        return c;
    }

    /** The demo password of a user: alice's is alice-demo (config/demo/subscribers.csv). */
    static String password(String user) {
        return user + "-demo";
    }

    /** Gives a subscriber added by a test the demo password convention's credentials. */
    static org.cpmrouter.groupstore.Subscriber withDemoPassword(org.cpmrouter.groupstore.Subscriber subscriber) {
        String user = org.cpmrouter.groupstore.DigestCredentials.defaultUsername(subscriber.publicIdentity());
        return subscriber.withCredentials(org.cpmrouter.groupstore.DigestCredentials.fromPassword(user, DOMAIN,
                password(user)));
    }

    /** A client of the test's own configuration (over TLS, say), stopped with the fixture. */
    CpmClient client(ClientConfig config) throws Exception {
        CpmClient c = CpmClient.start(config);
        clients.add(c);
        return c;
    }

    /** Registers a client for 600 s and puts every message it gets in the returned inbox. */
    Inbox registered(CpmClient c) throws Exception {
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        c.onMessage(inbox::add);
        SendResult result = c.register(600).get(40, TimeUnit.SECONDS);
        if (result.status() != 200) {
            throw new IllegalStateException(c.config().identity() + " could not register: " + result);
        }
        return new Inbox(c, inbox);
    }

    /** A client that has registered and puts every message it gets in the returned inbox. */
    Inbox registered(String user) throws Exception {
        return registered(user, "udp");
    }

    Inbox registered(String user, String transport) throws Exception {
        CpmClient c = client(user, transport);
        BlockingQueue<ReceivedMessage> inbox = new LinkedBlockingQueue<>();
        c.onMessage(inbox::add);
        SendResult result = c.register(600).get(10, TimeUnit.SECONDS);
        if (result.status() != 200) {
            throw new IllegalStateException(user + " could not register: " + result);
        }
        return new Inbox(c, inbox);
    }

    record Inbox(CpmClient client, BlockingQueue<ReceivedMessage> messages) {
        ReceivedMessage next() throws InterruptedException {
            return messages.poll(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        for (CpmClient c : clients) {
            c.close();
        }
        router.close();
    }
}
