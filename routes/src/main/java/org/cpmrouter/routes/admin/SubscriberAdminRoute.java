package org.cpmrouter.routes.admin;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.DigestCredentials;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API for subscribers, as much as operators need for authentication; it never returns a credential,
 * not even a hash:
 *
 * <pre>
 * GET /admin/subscribers/{uri}            the subscriber (404): identities, flags, whether a password is set
 * PUT /admin/subscribers/{uri}/password   {"password": "..."}: hashed for the router's realm and stored; 204
 * </pre>
 *
 * {@code {uri}} is any identity of the subscriber, URL-encoded ({@code sip%3Aalice%40cpm.example.com}). The digest
 * username stays the one the subscriber has, or is the user part of its public identity for a first password.
 */
public final class SubscriberAdminRoute extends RouteBuilder {

    static final String BASE_PATH = "/admin/subscribers";
    /** Longest password accepted, characters. */
    static final int MAX_PASSWORD_CHARS = 256;

    private static final Logger LOG = LoggerFactory.getLogger("org.cpmrouter.admin");

    private final SubscriberStore subscribers;
    private final String realm;

    public SubscriberAdminRoute(SubscriberStore subscribers, String realm) {
        this.subscribers = subscribers;
        this.realm = realm;
    }

    /** A subscriber as the API shows it. */
    @JsonPropertyOrder({"uri", "telAliases", "cpmEnabled", "barred", "passwordSet", "digestUsername", "digestRealm"})
    record SubscriberJson(String uri, List<String> telAliases, boolean cpmEnabled, boolean barred,
                          boolean passwordSet, String digestUsername, String digestRealm) {
        static SubscriberJson of(Subscriber s) {
            DigestCredentials c = s.credentials();
            return new SubscriberJson(s.publicIdentity(), s.telAliases(), s.cpmEnabled(), s.barred(), c != null,
                    c == null ? null : c.username(), c == null ? null : c.realm());
        }
    }

    /** The body of a password change. */
    record PasswordJson(String password) {
    }

    @Override
    public void configure() {
        rest(BASE_PATH)
                .get("/{uri}").id("admin-subscriber-get").to("direct:admin-subscriber-get")
                .put("/{uri}/password").id("admin-subscriber-password").to("direct:admin-subscriber-password");
        from("direct:admin-subscriber-get").routeId("admin-subscriber-get")
                .process(e -> GroupAdmin.serve(e, this::get)).id("admin-subscriber-get-handle");
        from("direct:admin-subscriber-password").routeId("admin-subscriber-password")
                .process(e -> GroupAdmin.serve(e, this::setPassword)).id("admin-subscriber-password-handle");
    }

    private GroupAdmin.Reply get(Message request) {
        return GroupAdmin.ok(200, SubscriberJson.of(existing(request)));
    }

    private GroupAdmin.Reply setPassword(Message request) {
        Subscriber subscriber = existing(request);
        PasswordJson body = GroupAdmin.read(request, PasswordJson.class);
        String password = body.password();
        if (password == null || password.isEmpty()) {
            throw new GroupAdmin.Refusal(400, "password is required and must not be empty");
        }
        if (password.length() > MAX_PASSWORD_CHARS || password.chars().anyMatch(Character::isISOControl)) {
            throw new GroupAdmin.Refusal(400, "a password has at most " + MAX_PASSWORD_CHARS
                    + " characters and no control characters");
        }
        String username = Optional.ofNullable(subscriber.credentials()).map(DigestCredentials::username)
                .orElseGet(() -> DigestCredentials.defaultUsername(subscriber.publicIdentity()));
        subscribers.save(subscriber.withCredentials(DigestCredentials.fromPassword(username, realm, password)));
        LOG.info("admin: password of {} set (digest username {}, realm {})", subscriber.publicIdentity(), username,
                realm);
        return GroupAdmin.Reply.empty(204);
    }

    private Subscriber existing(Message request) {
        String uri = GroupAdmin.pathParam(request, GroupAdmin.URI).trim();
        return subscribers.findByIdentity(uri)
                .orElseThrow(() -> new GroupAdmin.Refusal(404, "no subscriber " + uri));
    }
}
