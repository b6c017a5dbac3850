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
import org.cpmrouter.sip.urilist.RecipientList;

/**
 * The {@code cpm-client} command line.
 *
 * <pre>
 * cpm-client send   --from alice --to bob "Hello Bob"
 * cpm-client send   --from alice --to bob,carol,+15559990000 "Hello all"   (one request to the URI-list service)
 * cpm-client listen --as bob
 * cpm-client reply  --as bob "Hi Alice"
 * </pre>
 *
 * Short names are users of {@code --domain} (default cpm.example.com); {@code +1555...} is a tel: number (sending
 * as one needs {@code --user}, the digest username, when the router asks for a password); full SIP or tel URIs are
 * taken as they are. An unknown option, an address the SIP stack cannot parse and an empty message are refused in
 * one line; a router that does not answer an {@code OPTIONS} within 3 s is named with its address. {@code --proxy host:port} names the router (127.0.0.1:5060, or
 * 127.0.0.1:5061 with {@code --transport tls}, which needs {@code --trust-store}).
 * The router challenges clients (SIP digest): the password comes from {@code --password} or, kept out of the
 * process list, the {@code CPM_PASSWORD} environment variable.
 */
public final class CpmClientCli {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** How long the router is given to answer an OPTIONS before the client says it does not answer. */
    static final long PROBE_MILLIS = 3_000;

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
        try {
            Options options = Options.parse(args);
            options.env = env;
            switch (options.command) {
                case "send":
                    return send(options);
                case "listen":
                    return listen(options);
                case "reply":
                    return reply(options);
                default:
                    throw new IllegalArgumentException("unknown command '" + options.command
                            + "' (send, listen or reply)");
            }
        } catch (IllegalArgumentException e) {
            // a usage mistake: one line naming it, and where the options are listed
            err.println("cpm-client: " + e.getMessage() + " (cpm-client --help lists the options)");
            return 2;
        } catch (java.util.concurrent.ExecutionException e) {
            err.println("cpm-client: " + describe(e.getCause() != null ? e.getCause() : e));
            return 1;
        } catch (Exception e) {
            err.println("cpm-client: " + describe(e));
            return 1;
        }
    }

    /** An exception as one line, without class names: what the user can act on. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e instanceof java.util.concurrent.TimeoutException ? "no answer in time" : e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse("").replaceAll("\\b([a-z][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error): ", "");
    }

    private int send(Options o) throws Exception {
        o.allowOnly(List.of("from", "to", "cc", "bcc", "uri-list-service"));
        String from = o.require("from");
        List<RecipientList.Entry> entries = new ArrayList<>();
        for (String to : o.list("to", o.require("to"))) {
            entries.add(new RecipientList.Entry(o.address("to", to), RecipientList.CopyControl.TO, false));
        }
        for (String cc : o.list("cc", o.named.get("cc"))) {
            entries.add(new RecipientList.Entry(o.address("cc", cc), RecipientList.CopyControl.CC, false));
        }
        for (String bcc : o.list("bcc", o.named.get("bcc"))) {
            entries.add(new RecipientList.Entry(o.address("bcc", bcc), RecipientList.CopyControl.BCC, false));
        }
        String text = o.text("send --from alice --to bob \"Hi\"");
        if (entries.size() == 1 && entries.get(0).copyControl() == RecipientList.CopyControl.TO) {
            return sendAs(o, from, OutgoingMessage.to(entries.get(0).uri(), text));
        }
        return sendToList(o, from, RecipientList.of(entries), text);
    }

    /** Several targets: one request to the URI-list service (RFC 5365), which answers 202 once it took the list. */
    private int sendToList(Options o, String user, RecipientList recipients, String text) throws Exception {
        String service = o.address("uri-list-service", o.value("uri-list-service",
                "sip:exploder@" + o.value("domain", "cpm.example.com")));
        String targets = recipients.entries().stream()
                .map(e -> e.uri() + (e.copyControl() == RecipientList.CopyControl.TO ? ""
                        : " (" + e.copyControl().name().toLowerCase(java.util.Locale.ROOT) + ")"))
                .collect(java.util.stream.Collectors.joining(", "));
        try (CpmClient client = CpmClient.start(o.clientConfig(user).withPassword(password(o)))) {
            if (!routerAnswers(client)) {
                return 1;
            }
            SendResult result = client.sendToList(service, recipients, text).get(40, TimeUnit.SECONDS);
            if (isChallenge(result)) {
                err.println(challengeError(client.config(), result));
                return 1;
            }
            if (result.isSuccess()) {
                out.println(result + " - accepted by the URI-list service " + service + " for " + targets);
                return 0;
            }
            out.println(result + " - not sent to " + targets + ": " + result.refusedBy()
                    + (result.accept() != null ? "; it takes " + result.accept() : "") + " (Call-ID " + result.callId()
                    + ")");
            return 1;
        }
    }

    /** Answers the last message {@code listen --as USER} received, over the service it came by (NOTE 1). */
    private int reply(Options o) throws Exception {
        o.allowOnly(List.of("as", "state-dir"));
        String as = o.require("as");
        OutgoingMessage reply = LastReceived.reply(o.stateFile(as), o.text("reply --as bob \"Hi\""));
        return sendAs(o, as, reply);
    }

    private int sendAs(Options o, String user, OutgoingMessage message) throws Exception {
        try (CpmClient client = CpmClient.start(o.clientConfig(user).withPassword(password(o)))) {
            if (!routerAnswers(client)) {
                return 1;
            }
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
        o.allowOnly(List.of("as", "expires", "state-dir", "service-header", "uri-list-service"));
        String as = o.require("as");
        int expires = o.number("expires", 3600, 0, Integer.MAX_VALUE);
        ClientConfig config = o.clientConfig(as).withPassword(password(o));
        if (config.tls() != null && !config.tls().hasKeyStore()) {
            throw new IllegalArgumentException("listen --transport tls needs --key-store FILE: the router connects to "
                    + "this client over TLS to deliver, so the client needs a certificate the router trusts");
        }
        CpmClient client = CpmClient.start(config);
        if (!routerAnswers(client)) {
            client.close();
            return 1;
        }
        String domain = o.value("domain", "cpm.example.com");
        Path state = o.stateFile(as);
        NonCpmServiceIdentifier identifier = o.serviceIdentifier();
        String listService = o.address("uri-list-service", o.value("uri-list-service", "sip:exploder@" + domain));
        client.onMessage(m -> {
            out.println("[" + LocalTime.now().format(CLOCK) + "] " + describeSender(m, domain, listService) + ": "
                    + m.text());
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

    /**
     * {@code --password}, else {@code CPM_PASSWORD}, else none. A password for a number needs {@code --user}: the
     * digest username is the subscriber's (alice), which the number does not say.
     */
    private String password(Options o) {
        String given = o.named.get("password");
        if (given == null) {
            given = env.get(PASSWORD_ENV);
        }
        String password = given == null || given.isEmpty() ? null : given;
        String user = o.named.containsKey("from") ? o.named.get("from") : o.named.get("as");
        if (password != null && !o.named.containsKey("user") && user != null
                && (user.startsWith("+") || user.startsWith("tel:"))) {
            throw new IllegalArgumentException("--" + (o.named.containsKey("from") ? "from" : "as") + " " + user
                    + " is a number: give the subscriber's digest username with it, --user NAME (e.g. --user alice)");
        }
        return password;
    }

    /**
     * Asks the router whether it answers before sending anything, so that one that is not running is named after
     * {@value #PROBE_MILLIS} ms instead of a transaction's 32 s and a bare {@code 408}.
     */
    private boolean routerAnswers(CpmClient client) throws Exception {
        if (client.probe(PROBE_MILLIS).get(PROBE_MILLIS + 5_000, TimeUnit.MILLISECONDS)) {
            return true;
        }
        ClientConfig c = client.config();
        err.println("cpm-client: no answer from the router at " + c.proxyHost() + ":" + c.proxyPort() + " ("
                + c.transport() + ") within " + PROBE_MILLIS / 1000 + " s: is it running there? (--proxy HOST:PORT)");
        return false;
    }

    private static boolean isChallenge(SendResult result) {
        return result.status() == 401 || result.status() == 407;
    }

    /** What to tell the user when the router's challenge could not be answered. */
    static String challengeError(ClientConfig config, SendResult result) {
        if (config.isNumber() && config.username() == null) {
            return "cpm-client: the router asks " + config.identity() + " to authenticate (" + result + "): with a"
                    + " number the digest username must be given too: --user NAME (the subscriber's, e.g. alice)";
        }
        if (config.password() == null) {
            return "cpm-client: the router asks " + config.identity() + " to authenticate (" + result
                    + "): give the password with --password or in the " + PASSWORD_ENV + " environment variable";
        }
        return "cpm-client: the router did not accept the credentials of " + config.identity() + " (" + result
                + ", Call-ID " + result.callId() + ")";
    }

    /** {@code alice}, or {@code alice in Family} for a message relayed by a Pre-defined Group. */
    static String describeSender(ReceivedMessage m, String domain) {
        return describeSender(m, domain, null);
    }

    /**
     * As {@link #describeSender(ReceivedMessage, String)}, and for a message that came through the URI-list service
     * {@code listService}: {@code alice to bob, carol (list)} with the recipients it showed (never its bcc ones), or
     * {@code alice (list)} when it showed none.
     */
    static String describeSender(ReceivedMessage m, String domain, String listService) {
        String who = displayName(m.sender(), domain);
        if (!m.isGroupMessage()) {
            var shown = m.listRecipients();
            if (shown.isPresent()) {
                return who + " to " + shown.get().stream().map(uri -> displayName(uri, domain))
                        .collect(java.util.stream.Collectors.joining(", ")) + " (list)";
            }
            if (listService != null && m.cpimTo().filter(listService::equalsIgnoreCase).isPresent()) {
                return who + " (list)";
            }
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
        s.println("usage: cpm-client send --from USER --to ADDRESS[,ADDRESS...] [--cc A,B] [--bcc A,B] [options] TEXT...");
        s.println("       cpm-client listen --as USER [--expires SECONDS] [options]");
        s.println("       cpm-client reply --as USER [options] TEXT...   (answers the last message listen showed)");
        s.println();
        s.println("  USER, ADDRESS   alice (a user of --domain), +15551230002 (a tel: number),");
        s.println("                  or a full sip:/tel: URI; sending as a number needs --user when the router");
        s.println("                  asks for a password (the digest username is not in the number)");
        s.println("  TEXT            the message; an empty one is not sent (a text starting with -- after --)");
        s.println("  several targets (--to bob,carol, or any --cc/--bcc) go as one request to the URI-list service");
        s.println("                  (RFC 5365), which sends each a copy; bcc recipients are shown to nobody");
        s.println("options:");
        s.println("  --proxy HOST:PORT   the router's SIP address (default 127.0.0.1:5060)");
        s.println("  --domain DOMAIN     home domain for short names (default cpm.example.com)");
        s.println("  --port N            local SIP port (default: any free port)");
        s.println("  --transport T       udp, tcp or tls (default udp)");
        s.println("  --password P        digest password of USER (or set " + PASSWORD_ENV + ", which stays out of");
        s.println("                      the process list); the demo users' are alice-demo, bob-demo, ...");
        s.println("  --user NAME         digest username (default: the user part of USER, alice)");
        s.println("  --state-dir DIR     where listen records the message reply answers (default ~/.cpm-client)");
        s.println("  --uri-list-service URI  the URI-list service (default sip:exploder@DOMAIN)");
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
        /** Options every command takes. */
        private static final List<String> COMMON = List.of("proxy", "domain", "port", "transport", "password", "user",
                "trust-store", "trust-store-password", "key-store", "key-store-password", "tls-protocols");
        /** Options of one command or another. */
        private static final List<String> KNOWN = List.of("from", "to", "cc", "bcc", "uri-list-service", "as", "expires",
                "state-dir", "service-header");

        String command;
        Map<String, String> env = Map.of();
        final Map<String, String> named = new HashMap<>();
        final List<String> positional = new ArrayList<>();

        /**
         * {@code --name value} or {@code --name=value} anywhere after the command, the rest is the text. An unknown
         * option is named, never taken as text, and an option never takes the next option as its value.
         */
        static Options parse(String[] args) {
            Options o = new Options();
            o.command = args[0];
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--")) { // the rest is text, even when it starts with --
                    o.positional.addAll(List.of(args).subList(i + 1, args.length));
                    break;
                }
                if (!a.startsWith("--")) {
                    o.positional.add(a);
                    continue;
                }
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (!COMMON.contains(name) && !KNOWN.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new IllegalArgumentException("option --" + name + " needs a value");
                    }
                    value = args[++i];
                }
                if (o.named.put(name, value) != null) {
                    throw new IllegalArgumentException("--" + name + " given twice");
                }
            }
            return o;
        }

        /** Refuses an option of another command, naming it. */
        void allowOnly(List<String> own) {
            for (String name : named.keySet()) {
                if (!COMMON.contains(name) && !own.contains(name)) {
                    throw new IllegalArgumentException(command + " takes no --" + name);
                }
            }
        }

        String require(String name) {
            String v = named.get(name);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(command + " needs --" + name);
            }
            return v;
        }

        /** A comma-separated option ({@code --to bob,carol}): its items, none for an absent one; an empty item is named. */
        List<String> list(String name, String value) {
            if (value == null) {
                return List.of();
            }
            List<String> items = new ArrayList<>();
            for (String item : value.split(",", -1)) {
                if (item.isBlank()) {
                    throw new IllegalArgumentException("--" + name + " '" + value + "' has an empty item: give the"
                            + " addresses separated by commas, e.g. --" + name + " bob,carol,+15559990000");
                }
                items.add(item.trim());
            }
            return items;
        }

        String value(String name, String fallback) {
            return named.getOrDefault(name, fallback);
        }

        /** A whole number option within bounds, named when it is not one. */
        int number(String name, int fallback, int min, int max) {
            String v = named.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // named below
            }
            throw new IllegalArgumentException("--" + name + " is a whole number from " + min
                    + (max == Integer.MAX_VALUE ? "" : " to " + max) + ", got '" + v + "'");
        }

        /** The message text: the words after the options; an empty message is not sent. */
        String text(String example) {
            String text = String.join(" ", positional);
            if (text.isBlank()) {
                throw new IllegalArgumentException(command + " needs the message text, e.g. " + example
                        + "; an empty message is not sent");
            }
            return text;
        }

        String address(String shortOrUri) {
            return address("as", shortOrUri);
        }

        /**
         * {@code alice} (a user of --domain), {@code alice@host}, {@code +15551230002} (a tel: number) or a full
         * sip:/sips:/tel: URI; anything the SIP stack cannot take as an address is refused, naming the option.
         */
        String address(String option, String shortOrUri) {
            String s = shortOrUri.trim();
            String uri;
            if (s.startsWith("sip:") || s.startsWith("sips:") || s.startsWith("tel:")) {
                uri = s;
            } else if (s.startsWith("+")) {
                uri = "tel:" + s;
            } else if (s.contains("@")) {
                uri = "sip:" + s;
            } else {
                uri = "sip:" + s + "@" + value("domain", "cpm.example.com");
            }
            if (!Addresses.isValid(uri)) {
                throw new IllegalArgumentException("--" + option + " '" + shortOrUri + "' is not an address: give a"
                        + " user of the domain (bob), a number (+15551230002) or a URI (sip:bob@cpm.example.com)");
            }
            return uri;
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
            String option = named.containsKey("from") ? "from" : "as";
            String identity = address(option, user);
            String transport = value("transport", "udp").toLowerCase(java.util.Locale.ROOT);
            if (!List.of("udp", "tcp", "tls").contains(transport)) {
                throw new IllegalArgumentException("--transport is udp, tcp or tls, got '" + transport + "'");
            }
            int defaultPort = transport.equals("tls") ? SipTlsConfig.DEFAULT_PORT : 5060;
            String proxy = value("proxy", "127.0.0.1:" + defaultPort);
            int colon = proxy.lastIndexOf(':');
            String host = colon < 0 ? proxy : proxy.substring(0, colon);
            int proxyPort = defaultPort;
            if (colon >= 0) {
                try {
                    proxyPort = Integer.parseInt(proxy.substring(colon + 1));
                } catch (NumberFormatException e) {
                    proxyPort = -1;
                }
            }
            if (host.isBlank() || proxyPort < 1 || proxyPort > 65535) {
                throw new IllegalArgumentException("--proxy is HOST:PORT, e.g. 127.0.0.1:5060, got '" + proxy + "'");
            }
            return new ClientConfig(identity, host, proxyPort, "127.0.0.1", number("port", 0, 0, 65535), transport,
                    null, transport.equals("tls") ? tls() : null, named.get("user"));
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
