package org.cpmrouter.routes.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.main.Main;
import org.cpmrouter.groupstore.CpmDataStores;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.groupstore.InMemoryRegistrationStore;
import org.cpmrouter.groupstore.InMemorySubscriberStore;
import org.cpmrouter.groupstore.RegistrationStore;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberStore;
import org.cpmrouter.routes.sipcore.SipErrorHandlingConfiguration;

/**
 * The admin API alone in camel-main, its embedded HTTP server on a free port of 127.0.0.1, and an HTTP client
 * for it. Stopped by {@link #close()}.
 */
final class AdminApiServer implements AutoCloseable {

    final Main main;
    final URI base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminApiServer(Main main, URI base) {
        this.main = main;
        this.base = base;
    }

    /** Over subscribers alice, bob, carol and dave of cpm.example.com (tel:+1555123000N), who may be members. */
    static AdminApiServer start(GroupStore groups, GroupDocumentCodec documents) throws Exception {
        return start(groups, documents, subscribers(), null);
    }

    /** With the admin token guard when token is not null. */
    static AdminApiServer start(GroupStore groups, GroupDocumentCodec documents, String token) throws Exception {
        return start(groups, documents, subscribers(), token);
    }

    /** alice, bob, carol and dave of cpm.example.com, tel:+15551230001 to 4, without passwords. */
    static SubscriberStore subscribers() {
        SubscriberStore store = new InMemorySubscriberStore();
        List<String> users = List.of("alice", "bob", "carol", "dave");
        for (int i = 0; i < users.size(); i++) {
            store.save(new Subscriber("sip:" + users.get(i) + "@cpm.example.com", List.of("tel:+1555123000" + (i + 1)),
                    true, false));
        }
        return store;
    }

    /** With the subscriber resources over this store, no token. */
    static AdminApiServer start(GroupStore groups, GroupDocumentCodec documents,
                                SubscriberStore subscribers) throws Exception {
        return start(groups, documents, subscribers, null);
    }

    /**
     * With the subscriber resources too, over this store, for the realm {@code cpm.example.com}, and the admin token
     * guard when token is not null.
     */
    static AdminApiServer start(GroupStore groups, GroupDocumentCodec documents,
                                SubscriberStore subscribers, String token) throws Exception {
        return start(groups, documents, subscribers, new InMemoryRegistrationStore(Clock.systemUTC()), token);
    }

    /** Over these stores (the router's, Infinispan), with the OMA XDM codec and no token. */
    static AdminApiServer start(CpmDataStores stores) throws Exception {
        return start(stores.groups(), GroupDocumentCodec.xdm(), stores.subscribers(), stores.registrations(), null);
    }

    private static AdminApiServer start(GroupStore groups, GroupDocumentCodec documents, SubscriberStore subscribers,
                                        RegistrationStore registrations, String token) throws Exception {
        int port = freePort();
        Main main = new Main();
        main.setAppName("admin-api-test");
        for (Map.Entry<String, String> p : AdminApiRoute.serverProperties("127.0.0.1", port).entrySet()) {
            main.addOverrideProperty(p.getKey(), p.getValue());
        }
        main.configure().addRoutesBuilder(new SipErrorHandlingConfiguration());
        AdminAudit audit = new AdminAudit(token != null);
        main.configure().addRoutesBuilder(new AdminApiRoute(groups, documents, subscribers, Set.of(), audit));
        main.configure().addRoutesBuilder(new SubscriberAdminRoute(subscribers, groups, registrations,
                "cpm.example.com", audit));
        if (token != null) {
            AdminTokenGuard.install(main, token);
        }
        main.start();
        return new AdminApiServer(main, URI.create("http://127.0.0.1:" + port));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static String enc(String uri) {
        return URLEncoder.encode(uri, StandardCharsets.UTF_8).replace("+", "%20");
    }

    HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    HttpResponse<String> delete(String path) throws Exception {
        return send("DELETE", path, null, null);
    }

    HttpResponse<String> json(String method, String path, String body) throws Exception {
        return send(method, path, "application/json", body);
    }

    HttpResponse<String> xml(String method, String path, String body) throws Exception {
        return send(method, path, "application/xml", body);
    }

    @Override
    public void close() {
        main.stop();
    }
}
