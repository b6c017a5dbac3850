package org.cpmrouter.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The {@code cpm-admin} command line: the router's admin HTTP API for CPM Pre-defined Groups and subscribers.
 *
 * <pre>
 * cpm-admin groups list
 * cpm-admin groups show URI
 * cpm-admin groups create URI --name NAME [--member M]...
 * cpm-admin groups delete URI
 * cpm-admin groups add-member URI MEMBER
 * cpm-admin groups remove-member URI MEMBER
 * cpm-admin groups export URI [FILE]
 * cpm-admin groups import FILE
 * cpm-admin subscribers create URI [--tel +NUMBER]... [--password-stdin] [--barred] [--no-cpm]
 * cpm-admin subscribers update URI [--tel +NUMBER]... [--no-tel] [--password-stdin] [--barred] [--cpm|--no-cpm]
 * cpm-admin subscribers bar URI | unbar URI | delete URI | show URI
 * cpm-admin subscribers list [--page N]
 * cpm-admin subscribers import FILE.csv | export FILE.csv
 * cpm-admin subscribers set-password URI      the password from a prompt, or the first line of standard input
 * cpm-admin bans list                          source addresses refused for failed authentications or floods
 * cpm-admin bans lift ADDRESS                  lifts one before it ends
 * </pre>
 *
 * Short names are users of {@code --domain} (default cpm.example.com), {@code +1555...} is a tel: number, full
 * sip:/sips:/tel: URIs are taken as they are. {@code --admin URL} names the API (http://127.0.0.1:8081).
 * A router with {@code cpm.admin.token} set wants that token: {@code --token} or the environment variable
 * {@code CPM_ADMIN_TOKEN} (the same variable sets the router's), sent as {@code Authorization: Bearer}.
 * Exit status: 0 done, 1 refused by the server (its error is printed) or not reachable, 2 usage error.
 */
public final class CpmAdminCli {

    static final String DEFAULT_ADMIN = "http://127.0.0.1:8081";
    static final String DEFAULT_DOMAIN = "cpm.example.com";
    static final String GROUPS = "/admin/groups";
    static final String SUBSCRIBERS = "/admin/subscribers";
    static final String DEFERRED = "/admin/deferred";
    static final String BANS = "/admin/bans";
    static final String LIST_SERVICE_NS = "urn:oma:xml:poc:list-service";
    /** The header naming the operator in the router's admin audit (the login name; a claim, not a proof). */
    static final String OPERATOR_HEADER = "X-CPM-Operator";
    /** The environment variable holding the admin token (also the router's {@code cpm.admin.token}). */
    public static final String TOKEN_ENV = "CPM_ADMIN_TOKEN";

    /** One request to the admin API. {@code body} null: none; {@code accept} what it wants back. */
    record Call(String method, String path, String contentType, byte[] body, String accept) {
        Call(String method, String path, String contentType, byte[] body) {
            this(method, path, contentType, body, "application/json, application/xml");
        }

        HttpRequest toHttpRequest(URI admin) {
            return toHttpRequest(admin, null);
        }

        /**
         * With {@code Authorization: Bearer token} when a token is given, and the login name as the operator the
         * admin audit records.
         */
        HttpRequest toHttpRequest(URI admin, String token) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stripSlash(admin.toString()) + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", accept)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String operator = System.getProperty("user.name", "");
            if (!operator.isBlank() && operator.chars().allMatch(c -> c > 32 && c < 127)) {
                b.header(OPERATOR_HEADER, operator);
            }
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            if (token != null && !token.isEmpty()) {
                b.header("Authorization", "Bearer " + token);
            }
            return b.build();
        }

        String bodyText() {
            return body == null ? null : new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the server answered. */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends a call; the real one is HTTP, tests give their own. */
    @FunctionalInterface
    interface Transport {
        Answer send(URI admin, Call call) throws IOException, InterruptedException;
    }

    /** Where a new password comes from: asked for at the terminal, else read from standard input. */
    @FunctionalInterface
    public interface PasswordSource {
        /** The password, or null when none was given. */
        String read(String forWhom) throws IOException;
    }

    private static final PasswordSource TERMINAL_OR_STDIN = CpmAdminCli::terminalOrStdin;

    private final PrintStream out;
    private final PrintStream err;
    private final Transport transport;
    private final PasswordSource passwords;
    private final PasswordSource stdinPasswords;
    private final Map<String, String> env;

    public CpmAdminCli(PrintStream out, PrintStream err) {
        this(out, err, null, TERMINAL_OR_STDIN, System.getenv());
    }

    /** With this transport; {@code null}: HTTP, with the token of the command line or the environment. */
    CpmAdminCli(PrintStream out, PrintStream err, Transport transport) {
        this(out, err, transport, TERMINAL_OR_STDIN, System.getenv());
    }

    CpmAdminCli(PrintStream out, PrintStream err, Transport transport, PasswordSource passwords) {
        this(out, err, transport, passwords, System.getenv());
    }

    CpmAdminCli(PrintStream out, PrintStream err, Transport transport, Map<String, String> env) {
        this(out, err, transport, TERMINAL_OR_STDIN, env);
    }

    CpmAdminCli(PrintStream out, PrintStream err, Transport transport, PasswordSource passwords,
                Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.transport = transport;
        this.passwords = passwords;
        // --password-stdin reads the first line of standard input, never a prompt; a test gives its own source
        this.stdinPasswords = passwords == TERMINAL_OR_STDIN ? forWhom -> firstLineOfStdin() : passwords;
        this.env = env;
    }

    /** Public for the router's tests: HTTP (with the token of the command line or environment), these passwords. */
    public static CpmAdminCli withPasswords(PrintStream out, PrintStream err, PasswordSource passwords) {
        return new CpmAdminCli(out, err, null, passwords);
    }

    /**
     * At a terminal, asks twice without echo and insists the two match; otherwise (a pipe, a script) the first line
     * of standard input.
     */
    static String terminalOrStdin(String forWhom) throws IOException {
        java.io.Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("New password for %s: ", forWhom);
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null) {
                return null;
            }
            if (!java.util.Arrays.equals(first, again)) {
                throw new IOException("the two passwords differ; nothing changed");
            }
            return new String(first);
        }
        return firstLineOfStdin();
    }

    /** The first line of standard input (a pipe: {@code echo "$PW" | cpm-admin ...}); null when there is none. */
    static String firstLineOfStdin() throws IOException {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))
                .readLine();
        return line == null ? null : line.replace("\r", "");
    }

    public static void main(String[] args) {
        System.exit(new CpmAdminCli(System.out, System.err).run(args));
    }

    private static Transport httpTransport(String token) {
        return new Transport() {
            private HttpClient http;

            @Override
            public Answer send(URI admin, Call call) throws IOException, InterruptedException {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                }
                HttpResponse<byte[]> r = http.send(call.toHttpRequest(admin, token),
                        HttpResponse.BodyHandlers.ofByteArray());
                return new Answer(r.statusCode(), r.body() == null ? new byte[0] : r.body());
            }
        };
    }

    /** Runs one command; the exit status. */
    public int run(String... args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("cpm-admin: " + e.getMessage());
            usage(err);
            return 2;
        }
        if (o.help) {
            usage(out);
            return 0;
        }
        Command command;
        URI admin;
        try {
            admin = o.admin();
            command = command(o);
        } catch (UsageException e) {
            err.println("cpm-admin: " + e.getMessage());
            usage(err);
            return 2;
        } catch (IllegalArgumentException | IOException e) {
            err.println("cpm-admin: " + e.getMessage());
            return 1;
        }
        Answer answer;
        try {
            Transport t = transport != null ? transport : httpTransport(o.token(env));
            answer = t.send(admin, command.call());
        } catch (IOException e) {
            err.println("cpm-admin: cannot reach the admin API at " + admin + ": " + describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("cpm-admin: interrupted");
            return 1;
        }
        if (answer.status() < 200 || answer.status() > 299) {
            err.println("cpm-admin: " + answer.status() + " " + errorOf(answer));
            for (String problem : problemsOf(answer, command.problemSource())) {
                err.println(problem);
            }
            if (answer.status() == 401) {
                err.println("cpm-admin: the router wants its admin token: --token TOKEN or " + TOKEN_ENV);
            }
            return 1;
        }
        try {
            command.done().accept(answer);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("cpm-admin: " + e.getMessage());
            return 1;
        }
    }

    // ---- commands

    private static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    interface Done {
        void accept(Answer answer) throws IOException;
    }

    /** A request, what to print of its answer, and the file a refusal's line numbers are in (or null). */
    record Command(Call call, Done done, String problemSource) {
        Command(Call call, Done done) {
            this(call, done, null);
        }
    }

    /** The call a command line makes and what is printed of the answer; usage errors are {@link UsageException}. */
    Command command(Options o) throws IOException {
        List<String> p = o.positional;
        if (p.isEmpty()) {
            throw new UsageException("no command");
        }
        if (p.get(0).equals("subscribers")) {
            return subscriberCommand(o, p.subList(1, p.size()));
        }
        if (p.get(0).equals("deferred")) {
            return deferredCommand(o, p.subList(1, p.size()));
        }
        if (p.get(0).equals("bans")) {
            return bansCommand(o, p.subList(1, p.size()));
        }
        if (!p.get(0).equals("groups")) {
            throw new UsageException("unknown command '" + p.get(0) + "'");
        }
        if (p.size() < 2) {
            throw new UsageException("groups needs a sub-command");
        }
        String sub = p.get(1);
        List<String> rest = p.subList(2, p.size());
        o.allowOnly(sub, sub.equals("create") ? List.of("name", "member") : List.of());
        switch (sub) {
            case "list": {
                arguments(sub, rest, 0, 0);
                return new Command(new Call("GET", GROUPS, null, null), a -> printList(a));
            }
            case "show": {
                arguments(sub, rest, 1, 1);
                return new Command(new Call("GET", groupPath(o.address(rest.get(0))), null, null), a -> printGroup(a));
            }
            case "create": {
                arguments(sub, rest, 1, 1);
                String uri = o.address(rest.get(0));
                String name = o.single("name");
                if (name == null) {
                    throw new UsageException("create needs --name NAME");
                }
                List<String> members = new ArrayList<>();
                for (String m : o.all("member")) {
                    members.add(o.address(m));
                }
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("uri", uri);
                group.put("displayName", name);
                group.put("members", members);
                return new Command(json("POST", GROUPS, group),
                        a -> out.println("created " + uri + " (" + members.size() + " members)"));
            }
            case "delete": {
                arguments(sub, rest, 1, 1);
                String uri = o.address(rest.get(0));
                return new Command(new Call("DELETE", groupPath(uri), null, null), a -> out.println("deleted " + uri));
            }
            case "add-member": {
                arguments(sub, rest, 2, 2);
                String uri = o.address(rest.get(0));
                String member = o.address(rest.get(1));
                return new Command(json("POST", groupPath(uri) + "/members", Map.of("member", member)),
                        a -> out.println(a.status() == 201 ? "added " + member + " to " + uri
                                : member + " is already a member of " + uri));
            }
            case "remove-member": {
                arguments(sub, rest, 2, 2);
                String uri = o.address(rest.get(0));
                String member = o.address(rest.get(1));
                return new Command(new Call("DELETE", groupPath(uri) + "/members/" + encode(member), null, null),
                        a -> out.println("removed " + member + " from " + uri));
            }
            case "export": {
                arguments(sub, rest, 1, 2);
                String uri = o.address(rest.get(0));
                Path file = rest.size() > 1 ? Path.of(rest.get(1)) : null;
                return new Command(new Call("GET", groupPath(uri) + "/document", null, null), a -> {
                    if (file == null) {
                        out.print(a.text());
                        out.flush();
                    } else {
                        Files.write(file, a.body());
                        out.println("exported " + uri + " to " + file);
                    }
                });
            }
            case "import": {
                arguments(sub, rest, 1, 1);
                Path file = Path.of(rest.get(0));
                byte[] xml;
                try {
                    xml = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new IOException("cannot read " + file + ": " + describe(e), e);
                }
                String uri = listServiceUri(xml, file.toString());
                return new Command(new Call("PUT", groupPath(uri) + "/document", "application/xml", xml),
                        a -> out.println((a.status() == 201 ? "imported new group " : "imported ") + uri
                                + " from " + file));
            }
            default:
                throw new UsageException("unknown groups sub-command '" + sub + "'");
        }
    }

    /** {@code deferred list USER}, {@code deferred purge USER}: what is held for a subscriber, never its content. */
    private Command deferredCommand(Options o, List<String> p) {
        if (p.size() != 2) {
            throw new UsageException(p.isEmpty() ? "deferred needs a sub-command: list USER or purge USER"
                    : "deferred " + p.get(0) + " needs one USER");
        }
        o.allowOnly("deferred", p.get(0), List.of());
        String uri = o.address(p.get(1));
        String path = DEFERRED + "/" + encode(uri);
        switch (p.get(0)) {
            case "list":
                return new Command(new Call("GET", path, null, null), a -> {
                    Map<?, ?> held = jsonObject(a);
                    out.println(held.get("uri") + ": " + held.get("count") + " held, " + held.get("bytes") + " bytes"
                            + (held.get("oldestStoredAt") == null ? "" : ", oldest stored " + held.get("oldestStoredAt")));
                });
            case "purge":
                return new Command(new Call("DELETE", path, null, null),
                        a -> out.println(jsonObject(a).get("purged") + " held messages of " + uri + " removed"));
            default:
                throw new UsageException("unknown deferred sub-command '" + p.get(0) + "'");
        }
    }

    /** {@code bans list}, {@code bans lift ADDRESS}: the source addresses the router refuses for a while. */
    private Command bansCommand(Options o, List<String> p) {
        if (p.isEmpty()) {
            throw new UsageException("bans needs a sub-command: list or lift ADDRESS");
        }
        o.allowOnly("bans", p.get(0), List.of());
        switch (p.get(0)) {
            case "list":
                if (p.size() > 1) {
                    throw new UsageException("bans list: unexpected '" + p.get(1) + "'");
                }
                return new Command(new Call("GET", BANS, null, null), this::printBans);
            case "lift": {
                if (p.size() != 2) {
                    throw new UsageException("bans lift needs one ADDRESS, as bans list shows it (e.g. 192.0.2.7)");
                }
                String address = p.get(1);
                return new Command(new Call("DELETE", BANS + "/" + encode(address), null, null),
                        a -> out.println("ban of " + address + " lifted"));
            }
            default:
                throw new UsageException("unknown bans sub-command '" + p.get(0) + "' (list or lift ADDRESS)");
        }
    }

    private void printBans(Answer a) {
        if (!(MiniJson.parse(a.text()) instanceof List<?> bans)) {
            throw new IllegalStateException("unexpected answer: " + a.text());
        }
        if (bans.isEmpty()) {
            out.println("no bans");
            return;
        }
        for (Object b : bans) {
            Map<?, ?> ban = (Map<?, ?>) b;
            out.println(ban.get("address") + "  " + ban.get("reason") + " (" + ban.get("count") + ")  until "
                    + ban.get("until") + " (" + ban.get("secondsLeft") + " s left)");
        }
    }

    /** The {@code subscribers} commands: provisioning over {@code /admin/subscribers}. */
    private Command subscriberCommand(Options o, List<String> p) throws IOException {
        if (p.isEmpty()) {
            throw new UsageException("subscribers needs a sub-command");
        }
        String sub = p.get(0);
        List<String> rest = p.subList(1, p.size());
        switch (sub) {
            case "list": {
                o.allowOnly("subscribers", sub, List.of("page"));
                subscriberArguments(sub, rest, 0, "");
                String page = o.single("page");
                if (page != null && !page.matches("[1-9][0-9]{0,8}")) {
                    throw new UsageException("--page is a page number from 1, got '" + page + "'");
                }
                return new Command(new Call("GET", SUBSCRIBERS + (page == null ? "" : "?page=" + page), null, null),
                        this::printSubscriberPage);
            }
            case "import": {
                o.allowOnly("subscribers", sub, List.of());
                subscriberArguments(sub, rest, 1, " FILE.csv");
                Path file = Path.of(rest.get(0));
                byte[] csv;
                try {
                    csv = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new IOException("cannot read " + file + ": " + describe(e), e);
                }
                return new Command(new Call("POST", SUBSCRIBERS, "text/csv; charset=utf-8", csv),
                        a -> printImported(a, file), file.toString());
            }
            case "export": {
                o.allowOnly("subscribers", sub, List.of());
                subscriberArguments(sub, rest, 1, " FILE.csv");
                Path file = Path.of(rest.get(0));
                return new Command(new Call("GET", SUBSCRIBERS, null, null, "text/csv"), a -> {
                    Files.write(file, a.body());
                    long count = a.text().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
                    out.println("exported " + count + " subscribers to " + file + " (without passwords)");
                });
            }
            default:
                break;
        }
        subscriberArguments(sub, rest, 1, " URI");
        String uri = o.address(rest.get(0));
        String path = SUBSCRIBERS + "/" + encode(uri);
        switch (sub) {
            case "show":
                o.allowOnly("subscribers", sub, List.of());
                return new Command(new Call("GET", path, null, null), a -> printSubscriber(a));
            case "set-password": {
                o.allowOnly("subscribers", sub, List.of());
                String password = passwords.read(uri);
                if (password == null || password.isEmpty()) {
                    throw new IllegalArgumentException("no password given for " + uri + "; nothing changed");
                }
                return new Command(json("PUT", path + "/password", Map.of("password", password)),
                        a -> out.println("password of " + uri + " set"));
            }
            case "create": {
                o.allowOnly("subscribers", sub, List.of("tel", "password-stdin", "barred", "no-cpm"));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("uri", uri);
                body.put("telAliases", telAliases(o));
                body.put("cpmEnabled", !o.flags.contains("no-cpm"));
                body.put("barred", o.flags.contains("barred"));
                addPassword(o, uri, body);
                return new Command(json("POST", SUBSCRIBERS, body), a -> out.println("created " + summary(a)));
            }
            case "update": {
                o.allowOnly("subscribers", sub, List.of("tel", "no-tel", "password-stdin", "barred", "cpm", "no-cpm"));
                Map<String, Object> body = new LinkedHashMap<>();
                if (o.flags.contains("no-tel")) {
                    if (!o.all("tel").isEmpty()) {
                        throw new UsageException("--no-tel and --tel contradict each other");
                    }
                    body.put("telAliases", List.of());
                } else if (!o.all("tel").isEmpty()) {
                    body.put("telAliases", telAliases(o));
                }
                if (o.flags.contains("cpm") && o.flags.contains("no-cpm")) {
                    throw new UsageException("--cpm and --no-cpm contradict each other");
                }
                if (o.flags.contains("cpm") || o.flags.contains("no-cpm")) {
                    body.put("cpmEnabled", o.flags.contains("cpm"));
                }
                if (o.flags.contains("barred")) {
                    body.put("barred", true);
                }
                addPassword(o, uri, body);
                if (body.isEmpty()) {
                    throw new UsageException("subscribers update needs a change: --tel +NUMBER..., --no-tel,"
                            + " --password-stdin, --barred, --cpm or --no-cpm");
                }
                return new Command(json("PUT", path, body), a -> out.println("updated " + summary(a)));
            }
            case "bar":
            case "unbar": {
                o.allowOnly("subscribers", sub, List.of());
                boolean barred = sub.equals("bar");
                return new Command(json("PUT", path, Map.of("barred", barred)),
                        a -> out.println((barred ? "barred " : "unbarred ") + summary(a)));
            }
            case "delete":
                o.allowOnly("subscribers", sub, List.of());
                return new Command(new Call("DELETE", path, null, null), a -> out.println("deleted " + uri));
            default:
                throw new UsageException("unknown subscribers sub-command '" + sub + "'");
        }
    }

    private static void subscriberArguments(String sub, List<String> rest, int count, String what) {
        if (rest.size() < count) {
            throw new UsageException("subscribers " + sub + " needs" + what);
        }
        if (rest.size() > count) {
            throw new UsageException("subscribers " + sub + ": unexpected '" + rest.get(count) + "'");
        }
    }

    /** {@code --tel +15551230004} (or {@code tel:+15551230004}), each as a tel: URI. */
    private static List<String> telAliases(Options o) {
        List<String> aliases = new ArrayList<>();
        for (String tel : o.all("tel")) {
            String t = tel.trim();
            String alias = t.startsWith("tel:") ? t : "tel:" + t;
            if (!alias.matches("tel:\\+[0-9]{1,15}")) {
                throw new UsageException("--tel takes a global number, + and digits (+15551230004), got '" + tel + "'");
            }
            aliases.add(alias);
        }
        return aliases;
    }

    /** With {@code --password-stdin}: the first line of standard input, refused when empty. */
    private void addPassword(Options o, String uri, Map<String, Object> body) throws IOException {
        if (!o.flags.contains("password-stdin")) {
            return;
        }
        String password = stdinPasswords.read(uri);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("--password-stdin: standard input has no password for " + uri
                    + " (echo \"$PW\" | cpm-admin ...); nothing changed");
        }
        body.put("password", password);
    }

    private static void arguments(String sub, List<String> rest, int min, int max) {
        if (rest.size() < min) {
            throw new UsageException("groups " + sub + " needs " + (min == 1 ? "an argument" : min + " arguments"));
        }
        if (rest.size() > max) {
            throw new UsageException("groups " + sub + ": unexpected '" + rest.get(max) + "'");
        }
    }

    private static Call json(String method, String path, Object body) {
        return new Call(method, path, "application/json", MiniJson.write(body).getBytes(StandardCharsets.UTF_8));
    }

    static String groupPath(String uri) {
        return GROUPS + "/" + encode(uri);
    }

    /** Percent-encodes a URI for one path segment ({@code :} {@code @} {@code +} included). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The {@code uri} of the document's {@code list-service}; the JDK parser with DOCTYPEs (so external entities)
     * refused. {@link IllegalArgumentException} when the file is not such a document.
     */
    static String listServiceUri(byte[] xml, String name) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            NodeList services = b.parse(new ByteArrayInputStream(xml)).getElementsByTagNameNS("*", "list-service");
            if (services.getLength() == 0) {
                throw new IllegalArgumentException(name + ": no list-service element (not an OMA group document)");
            }
            String uri = ((Element) services.item(0)).getAttribute("uri").trim();
            if (uri.isEmpty()) {
                throw new IllegalArgumentException(name + ": the list-service element has no uri");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(name + ": not a readable XML document: " + e.getMessage(), e);
        }
    }

    // ---- output

    private void printList(Answer a) {
        Object parsed = MiniJson.parse(a.text());
        if (!(parsed instanceof List<?> groups)) {
            throw new IllegalStateException("unexpected answer: " + a.text());
        }
        if (groups.isEmpty()) {
            out.println("no groups");
            return;
        }
        for (Object g : groups) {
            Map<?, ?> group = (Map<?, ?>) g;
            out.println(group.get("uri") + "  \"" + group.get("displayName") + "\"  "
                    + size(group.get("members")) + " members  " + group.get("sendPolicy"));
        }
    }

    private void printGroup(Answer a) {
        Object parsed = MiniJson.parse(a.text());
        if (!(parsed instanceof Map<?, ?> group)) {
            throw new IllegalStateException("unexpected answer: " + a.text());
        }
        out.println(group.get("uri"));
        out.println("  name:           " + group.get("displayName"));
        out.println("  send policy:    " + group.get("sendPolicy"));
        printIdentities("members", group.get("members"));
        printIdentities("allowed senders", group.get("allowedSenders"));
        printIdentities("services", group.get("supportedServices"));
    }

    private static Map<?, ?> jsonObject(Answer a) {
        if (!(MiniJson.parse(a.text()) instanceof Map<?, ?> object)) {
            throw new IllegalStateException("unexpected answer: " + a.text());
        }
        return object;
    }

    private void printSubscriber(Answer a) {
        if (!(MiniJson.parse(a.text()) instanceof Map<?, ?> s)) {
            throw new IllegalStateException("unexpected answer: " + a.text());
        }
        out.println(s.get("uri"));
        printIdentities("tel aliases", s.get("telAliases"));
        out.println("  cpm enabled:    " + s.get("cpmEnabled"));
        out.println("  barred:         " + s.get("barred"));
        out.println("  password:       " + (Boolean.TRUE.equals(s.get("passwordSet"))
                ? "set (digest username " + s.get("digestUsername") + ", realm " + s.get("digestRealm") + ")"
                : "none: cannot authenticate"));
    }

    /** {@code sip:dave@cpm.example.com (tel:+15551230004; password set)}, from a subscriber answer. */
    private static String summary(Answer a) {
        if (!(MiniJson.parse(a.text()) instanceof Map<?, ?> s)) {
            throw new IllegalStateException("unexpected answer: " + a.text());
        }
        return s.get("uri") + " (" + subscriberTraits(s) + ")";
    }

    /** {@code tel:+15551230001; barred; no CPM; password set}. */
    private static String subscriberTraits(Map<?, ?> s) {
        List<String> traits = new ArrayList<>();
        if (s.get("telAliases") instanceof List<?> aliases && !aliases.isEmpty()) {
            traits.add(aliases.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")));
        }
        if (Boolean.TRUE.equals(s.get("barred"))) {
            traits.add("barred");
        }
        if (Boolean.FALSE.equals(s.get("cpmEnabled"))) {
            traits.add("no CPM");
        }
        traits.add(Boolean.TRUE.equals(s.get("passwordSet")) ? "password set" : "no password");
        return String.join("; ", traits);
    }

    private void printSubscriberPage(Answer a) {
        if (!(MiniJson.parse(a.text()) instanceof Map<?, ?> page) || !(page.get("subscribers") instanceof List<?> list)) {
            throw new IllegalStateException("unexpected answer: " + a.text());
        }
        for (Object item : list) {
            Map<?, ?> s = (Map<?, ?>) item;
            out.println(s.get("uri") + "  " + subscriberTraits(s));
        }
        int number = ((Number) page.get("page")).intValue();
        int pages = ((Number) page.get("pages")).intValue();
        out.println("page " + number + " of " + pages + " (" + page.get("total") + " subscribers)"
                + (number < pages ? "; next: --page " + (number + 1) : ""));
    }

    private void printImported(Answer a, Path file) {
        if (!(MiniJson.parse(a.text()) instanceof Map<?, ?> counts)) {
            throw new IllegalStateException("unexpected answer: " + a.text());
        }
        out.println("imported " + file + ": " + counts.get("created") + " created, " + counts.get("updated")
                + " updated");
    }

    private void printIdentities(String what, Object list) {
        List<?> items = list instanceof List<?> l ? l : List.of();
        if (items.isEmpty() && !what.equals("members")) {
            return;
        }
        out.println("  " + what + " (" + items.size() + "):");
        for (Object item : items) {
            out.println("    " + item);
        }
    }

    private static int size(Object list) {
        return list instanceof List<?> l ? l.size() : 0;
    }

    /** The {@code "problems"} of a refused import as {@code FILE:line: message}, one per line. */
    static List<String> problemsOf(Answer a, String source) {
        if (source == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try {
            if (MiniJson.parse(a.text().trim()) instanceof Map<?, ?> map && map.get("problems") instanceof List<?> ps) {
                for (Object p : ps) {
                    if (p instanceof Map<?, ?> problem) {
                        Object line = problem.get("line");
                        lines.add(source + ":" + (line instanceof Number n ? n.intValue() : line) + ": "
                                + problem.get("message"));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // not JSON: the error line says it all
        }
        return lines;
    }

    /** The server's {"error": ...}, or its body as is. */
    static String errorOf(Answer a) {
        String text = a.text().trim();
        try {
            if (MiniJson.parse(text) instanceof Map<?, ?> map && map.get("error") != null) {
                return String.valueOf(map.get("error"));
            }
        } catch (IllegalArgumentException e) {
            // not JSON: shown as it is
        }
        return text.isEmpty() ? "(no details)" : text;
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static void usage(PrintStream s) {
        s.println("usage: cpm-admin groups list");
        s.println("       cpm-admin groups show URI");
        s.println("       cpm-admin groups create URI --name NAME [--member M]...");
        s.println("       cpm-admin groups delete URI");
        s.println("       cpm-admin groups add-member URI MEMBER");
        s.println("       cpm-admin groups remove-member URI MEMBER");
        s.println("       cpm-admin groups export URI [FILE]     the OMA XDM list-service document");
        s.println("       cpm-admin groups import FILE           to the group the document names");
        s.println("       cpm-admin subscribers create URI [--tel +NUMBER]... [--password-stdin] [--barred] [--no-cpm]");
        s.println("       cpm-admin subscribers update URI [--tel +NUMBER]... [--no-tel] [--password-stdin] [--barred]");
        s.println("                                        [--cpm | --no-cpm]    (--tel replaces the numbers)");
        s.println("       cpm-admin subscribers bar URI | unbar URI | delete URI | show URI");
        s.println("       cpm-admin subscribers list [--page N]");
        s.println("       cpm-admin subscribers import FILE.csv   all lines or none; the demo CSV's columns");
        s.println("       cpm-admin subscribers export FILE.csv   every subscriber, without passwords");
        s.println("       cpm-admin subscribers set-password URI  asks for it, or reads the first line of stdin");
        s.println("       cpm-admin deferred list USER            messages held for USER: count, bytes, age");
        s.println("       cpm-admin deferred purge USER           removes them");
        s.println("       cpm-admin bans list                     source addresses refused for failed authentications");
        s.println("                                               or floods, why and until when");
        s.println("       cpm-admin bans lift ADDRESS             lifts a ban before it ends (every node of a cluster)");
        s.println();
        s.println("  URI, MEMBER   family, alice (users of --domain), +15551230002 (a tel: number),");
        s.println("                or a full sip:/tel: URI");
        s.println("  --password-stdin   the password is the first line of standard input: echo \"$PW\" | cpm-admin ...;");
        s.println("                     without it a new subscriber has none and cannot sign in until one is set");
        s.println("  A group member must be a subscriber or a non-CPM user (a tel: number): provision a member");
        s.println("  first, with subscribers create (without a password it cannot sign in yet).");
        s.println("options:");
        s.println("  --admin URL       the router's admin API (default " + DEFAULT_ADMIN + ")");
        s.println("  --domain DOMAIN   home domain for short names (default " + DEFAULT_DOMAIN + ")");
        s.println("  --token TOKEN     the router's cpm.admin.token (default: $" + TOKEN_ENV + ")");
    }

    /** Options anywhere on the line ({@code --member} repeats), the rest positional. */
    static final class Options {
        private static final List<String> KNOWN = List.of("admin", "domain", "name", "member", "token", "tel", "page");
        /** Options that take no value. */
        private static final List<String> FLAGS = List.of("password-stdin", "barred", "no-cpm", "cpm", "no-tel");

        /** Options every command takes. */
        private static final List<String> GLOBAL = List.of("admin", "domain", "token");

        final Map<String, List<String>> named = new LinkedHashMap<>();
        final java.util.Set<String> flags = new java.util.LinkedHashSet<>();
        final List<String> positional = new ArrayList<>();
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            o.help = args.length == 0;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h") || (i == 0 && a.equals("help"))) {
                    o.help = true;
                } else if (a.startsWith("--")) {
                    String name = a.substring(2);
                    String value = null;
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        value = name.substring(eq + 1);
                        name = name.substring(0, eq);
                    }
                    if (FLAGS.contains(name)) {
                        if (value != null) {
                            throw new IllegalArgumentException("option --" + name + " takes no value");
                        }
                        o.flags.add(name);
                        continue;
                    }
                    if (!KNOWN.contains(name)) {
                        throw new IllegalArgumentException("unknown option --" + name);
                    }
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option --" + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    o.named.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    o.positional.add(a);
                }
            }
            return o;
        }

        void allowOnly(String sub, List<String> allowed) {
            allowOnly("groups", sub, allowed);
        }

        /** Refuses an option the command does not take, naming it, and a single-valued option given twice. */
        void allowOnly(String command, String sub, List<String> allowed) {
            for (String name : named.keySet()) {
                if (!GLOBAL.contains(name) && !allowed.contains(name)) {
                    throw new UsageException(command + " " + sub + " takes no --" + name);
                }
            }
            for (String name : flags) {
                if (!allowed.contains(name)) {
                    throw new UsageException(command + " " + sub + " takes no --" + name);
                }
            }
            for (String name : List.of("admin", "domain", "name", "token", "page")) {
                if (all(name).size() > 1) {
                    throw new UsageException("--" + name + " given twice");
                }
            }
        }

        List<String> all(String name) {
            return named.getOrDefault(name, List.of());
        }

        /** --token, else the environment variable CPM_ADMIN_TOKEN; null when neither is set. */
        String token(Map<String, String> env) {
            String value = single("token");
            if (value == null) {
                value = env.get(TOKEN_ENV);
            }
            return value == null || value.isBlank() ? null : value.trim();
        }

        String single(String name) {
            List<String> values = all(name);
            return values.isEmpty() ? null : values.get(values.size() - 1);
        }

        URI admin() {
            String value = single("admin");
            URI uri;
            try {
                uri = URI.create(value == null ? DEFAULT_ADMIN : value);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new UsageException("--admin is a URL such as " + DEFAULT_ADMIN + ", got '" + value + "'");
            }
            return uri;
        }

        /** {@code alice} → sip:alice@DOMAIN, {@code alice@host} → sip:alice@host, {@code +1555…} → tel:. */
        String address(String shortOrUri) {
            String s = shortOrUri.trim();
            if (s.isEmpty()) {
                throw new UsageException("an empty address");
            }
            if (s.startsWith("sip:") || s.startsWith("sips:") || s.startsWith("tel:")) {
                return s;
            }
            if (s.startsWith("+")) {
                return "tel:" + s;
            }
            if (s.contains("@")) {
                return "sip:" + s;
            }
            String domain = single("domain");
            return "sip:" + s + "@" + (domain == null ? DEFAULT_DOMAIN : domain);
        }
    }
}
