package org.cpmrouter.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.cpmrouter.sip.SipTlsConfig;
import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;

/**
 * The {@code cpm-client} command line.
 *
 * <pre>
 * cpm-client send   --from alice --to bob "Hello Bob"
 * cpm-client listen --as bob
 * cpm-client reply  --as bob "Hi Alice"
 * </pre>
 *
 * Short names are users of {@code --domain} (default cpm.example.com); {@code +1555...} is a tel: number;
 * full SIP or tel URIs are taken as they are. {@code --proxy host:port} names the router (127.0.0.1:5060, or
 * 127.0.0.1:5061 with {@code --transport tls}, which needs {@code --trust-store}).
 * The router challenges clients (SIP digest): the password comes from {@code --password} or, kept out of the
 * process list, the {@code CPM_PASSWORD} environment variable.
 */
public final class CpmClientCli {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** The environment variable a password may come in. */
    static final String PASSWORD_ENV = "CPM_PASSWORD";
    /** Environment variables that hold the store passwords, so that they stay off the command line. */
    static final String TRUST_STORE_PASSWORD_ENV = "CPM_CLIENT_TRUST_STORE_PASSWORD";
    static final String KEY_STORE_PASSWORD_ENV = "CPM_CLIENT_KEY_STORE_PASSWORD";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    CpmClientCli(PrintStream out, PrintStream err) {
        this(out, err, System.getenv());
    }

    CpmClientCli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new CpmClientCli(System.out, System.err).run(args));
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        Options options;
        try {
            options = Options.parse(args);
            options.env = env;
        } catch (IllegalArgumentException e) {
            err.println("cpm-client: " + e.getMessage());
            usage(err);
            return 2;
        }
        try {
            switch (options.command) {
                case "send":
                    return send(options);
                case "listen":
                    return listen(options);
                case "reply":
                    return reply(options);
                default:
                    err.println("cpm-client: unknown command '" + options.command + "'");
                    usage(err);
                    return 2;
            }
        } catch (IllegalArgumentException e) {
            err.println("cpm-client: " + e.getMessage());
            usage(err);
            return 2;
        } catch (IllegalStateException e) {
            err.println("cpm-client: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("cpm-client: " + e.getMessage());
            return 1;
        }
    }

    private int send(Options o) throws Exception {
        String from = o.require("from");
        String to = o.require("to");
        if (o.positional.isEmpty()) {
            throw new IllegalArgumentException("send needs the message text, e.g. send --from alice --to bob \"Hi\"");
        }
        return sendAs(o, from, OutgoingMessage.to(o.address(to), String.join(" ", o.positional)));
    }

    /** Answers the last message {@code listen --as USER} received, over the service it came by (NOTE 1). */
    private int reply(Options o) throws Exception {
        String as = o.require("as");
        if (o.positional.isEmpty()) {
            throw new IllegalArgumentException("reply needs the message text, e.g. reply --as bob \"Hi\"");
        }
        OutgoingMessage reply = LastReceived.reply(o.stateFile(as), String.join(" ", o.positional));
        return sendAs(o, as, reply);
    }

    private int sendAs(Options o, String user, OutgoingMessage message) throws Exception {
        try (CpmClient client = CpmClient.start(o.clientConfig(user).withPassword(password(o)))) {
            String target = message.target();
            SendResult result = client.send(message).get(40, TimeUnit.SECONDS);
            if (isChallenge(result)) {
                err.println(challengeError(client.config(), result));
                return 1;
            }
            if (result.isSuccess()) {
                out.println(result + " - " + (result.status() == 200 ? "delivered to " : "accepted for ") + target);
                return 0;
            }
            out.println(result + " - not delivered to " + target + ": " + result.refusedBy()
                    + (result.accept() != null ? "; it takes " + result.accept() : "") + " (Call-ID " + result.callId()
                    + ")");
            return 1;
        }
    }

    private int listen(Options o) throws Exception {
        String as = o.require("as");
        int expires = Integer.parseInt(o.value("expires", "3600"));
        ClientConfig config = o.clientConfig(as).withPassword(password(o));
        if (config.tls() != null && !config.tls().hasKeyStore()) {
            throw new IllegalArgumentException("listen --transport tls needs --key-store FILE: the router connects to "
                    + "this client over TLS to deliver, so the client needs a certificate the router trusts");
        }
        CpmClient client = CpmClient.start(config);
        String domain = o.value("domain", "cpm.example.com");
        Path state = o.stateFile(as);
        NonCpmServiceIdentifier identifier = o.serviceIdentifier();
        client.onMessage(m -> {
            out.println("[" + LocalTime.now().format(CLOCK) + "] " + describeSender(m, domain) + ": " + m.text());
            try {
                LastReceived.save(state, OutgoingMessage.replyTo(m, "", identifier));
            } catch (IOException e) {
                err.println("cpm-client: cannot record the message for reply in " + state + ": " + e.getMessage());
            }
        });
        SendResult registered = client.register(expires).get(40, TimeUnit.SECONDS);
        if (!registered.isSuccess()) {
            err.println(isChallenge(registered) ? challengeError(client.config(), registered)
                    : "cpm-client: registration of " + client.config().identity() + " refused: " + registered);
            client.close();
            return 1;
        }
        out.println("Listening as " + client.config().identity() + " at " + client.contact()
                + " (registered for " + expires + " s; Ctrl-C to stop)");
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cpm-client-refresh");
            t.setDaemon(true);
            return t;
        });
        long refreshEvery = Math.max(10, expires * 8L / 10);
        refresher.scheduleAtFixedRate(() -> client.register(expires), refreshEvery, refreshEvery, TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            refresher.shutdownNow();
            try {
                client.register(0).get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort: the binding expires by itself
            }
            client.close();
            stopped.countDown();
        }, "cpm-client-shutdown"));
        stopped.await();
        return 0;
    }

    /** {@code --password}, else {@code CPM_PASSWORD}, else none. */
    private String password(Options o) {
        String given = o.named.get("password");
        if (given == null) {
            given = env.get(PASSWORD_ENV);
        }
        return given == null || given.isEmpty() ? null : given;
    }

    private static boolean isChallenge(SendResult result) {
        return result.status() == 401 || result.status() == 407;
    }

    /** What to tell the user when the router's challenge could not be answered. */
    static String challengeError(ClientConfig config, SendResult result) {
        if (config.password() == null) {
            return "cpm-client: the router asks " + config.identity() + " to authenticate (" + result
                    + "): give the password with --password or in the " + PASSWORD_ENV + " environment variable";
        }
        return "cpm-client: the router did not accept the credentials of " + config.identity() + " (" + result
                + ", Call-ID " + result.callId() + ")";
    }

    /** {@code alice}, or {@code alice in Family} for a message relayed by a Pre-defined Group. */
    static String describeSender(ReceivedMessage m, String domain) {
        String who = displayName(m.sender(), domain);
        if (!m.isGroupMessage()) {
            return who;
        }
        return who + " in " + (m.groupName() != null ? m.groupName() : displayName(m.group(), domain));
    }

    /** {@code sip:alice@cpm.example.com} reads as {@code alice}; a tel: number as the number. */
    static String displayName(String uri, String domain) {
        if (uri.startsWith("tel:")) {
            return uri.substring(4);
        }
        String rest = uri.replaceFirst("^sips?:", "");
        int at = rest.indexOf('@');
        if (at > 0 && rest.substring(at + 1).split("[;:>]")[0].equalsIgnoreCase(domain)) {
            return rest.substring(0, at);
        }
        return rest;
    }

    private static void usage(PrintStream s) {
        s.println("usage: cpm-client send --from USER --to ADDRESS [options] TEXT...");
        s.println("       cpm-client listen --as USER [--expires SECONDS] [options]");
        s.println("       cpm-client reply --as USER [options] TEXT...   (answers the last message listen showed)");
        s.println();
        s.println("  USER, ADDRESS   alice (a user of --domain), +15551230002 (a tel: number),");
        s.println("                  or a full sip:/tel: URI");
        s.println("options:");
        s.println("  --proxy HOST:PORT   the router's SIP address (default 127.0.0.1:5060)");
        s.println("  --domain DOMAIN     home domain for short names (default cpm.example.com)");
        s.println("  --port N            local SIP port (default: any free port)");
        s.println("  --transport T       udp, tcp or tls (default udp)");
        s.println("  --password P        digest password of USER (or set " + PASSWORD_ENV + ", which stays out of");
        s.println("                      the process list); the demo users' are alice-demo, bob-demo, ...");
        s.println("  --state-dir DIR     where listen records the message reply answers (default ~/.cpm-client)");
        s.println("  --service-header H  header of the Non-CPM Communication Service Identifier (default "
                + NonCpmServiceIdentifier.DEFAULT_HEADER + ")");
        s.println("TLS (--transport tls; --proxy then defaults to 127.0.0.1:5061):");
        s.println("  --trust-store FILE  PKCS12 file holding the router's certificate or its CA (required);");
        s.println("                      password from --trust-store-password or " + TRUST_STORE_PASSWORD_ENV);
        s.println("  --key-store FILE    this client's own certificate and key, PKCS12: needed to listen over TLS");
        s.println("                      (the router connects to it) or when the router asks for client");
        s.println("                      certificates; password from --key-store-password or "
                + KEY_STORE_PASSWORD_ENV);
        s.println("  --tls-protocols P   comma list (default TLSv1.2; TLSv1.3 works too)");
    }

    private static final class Options {
        String command;
        Map<String, String> env = Map.of();
        final Map<String, String> named = new HashMap<>();
        final List<String> positional = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            o.command = args[0];
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + a + " needs a value");
                    }
                    o.named.put(a.substring(2), args[++i]);
                } else {
                    o.positional.add(a);
                }
            }
            return o;
        }

        String require(String name) {
            String v = named.get(name);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(command + " needs --" + name);
            }
            return v;
        }

        String value(String name, String fallback) {
            return named.getOrDefault(name, fallback);
        }

        String address(String shortOrUri) {
            if (shortOrUri.startsWith("sip:") || shortOrUri.startsWith("sips:") || shortOrUri.startsWith("tel:")) {
                return shortOrUri;
            }
            if (shortOrUri.startsWith("+")) {
                return "tel:" + shortOrUri;
            }
            return "sip:" + shortOrUri + "@" + value("domain", "cpm.example.com");
        }

        /** The file where listen records, and reply reads, the last message of {@code user}. */
        Path stateFile(String user) {
            String fallback = System.getenv().getOrDefault("CPM_CLIENT_STATE",
                    Path.of(System.getProperty("user.home"), ".cpm-client").toString());
            return LastReceived.file(Path.of(value("state-dir", fallback)), address(user));
        }

        NonCpmServiceIdentifier serviceIdentifier() {
            return new NonCpmServiceIdentifier(value("service-header", NonCpmServiceIdentifier.DEFAULT_HEADER));
        }

        ClientConfig clientConfig(String user) {
            String identity = address(user);
            String transport = value("transport", "udp").toLowerCase(java.util.Locale.ROOT);
            int defaultPort = transport.equals("tls") ? SipTlsConfig.DEFAULT_PORT : 5060;
            String[] proxy = value("proxy", "127.0.0.1:" + defaultPort).split(":");
            int proxyPort = proxy.length > 1 ? Integer.parseInt(proxy[1]) : defaultPort;
            return new ClientConfig(identity, proxy[0], proxyPort, "127.0.0.1",
                    Integer.parseInt(value("port", "0")), transport, null, transport.equals("tls") ? tls() : null);
        }

        /** The TLS settings of --trust-store, --key-store and --tls-protocols; passwords also from the environment. */
        SipTlsConfig tls() {
            String trustStore = named.get("trust-store");
            if (trustStore == null || trustStore.isBlank()) {
                throw new IllegalArgumentException("--transport tls needs --trust-store FILE (a PKCS12 file holding "
                        + "the router's certificate or its CA)");
            }
            SipTlsConfig tls = SipTlsConfig.client(Path.of(trustStore), secret("trust-store-password",
                    TRUST_STORE_PASSWORD_ENV));
            String keyStore = named.get("key-store");
            if (keyStore != null && !keyStore.isBlank()) {
                tls = tls.withKeyStore(Path.of(keyStore), secret("key-store-password", KEY_STORE_PASSWORD_ENV));
            }
            if (named.containsKey("tls-protocols")) {
                tls = tls.withProtocols(SipTlsConfig.list(named.get("tls-protocols")));
            }
            tls.check();
            return tls;
        }

        private String secret(String option, String envName) {
            String value = named.get(option);
            return value != null ? value : env.getOrDefault(envName, "");
        }
    }
}
