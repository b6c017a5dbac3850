package org.cpmrouter.routes.admin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.DigestCredentials;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.groupstore.RegistrationStore;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberCsv;
import org.cpmrouter.groupstore.SubscriberStore;

/**
 * The admin API for subscribers: provisioning. It never returns a credential, not even a digest; passwords are
 * taken only to be hashed for the router's realm ({@link DigestCredentials}).
 *
 * <pre>
 * GET    /admin/subscribers[?page=N&amp;size=M]  a page of subscribers sorted by URI (size 50 by default, 1000 at most)
 * GET    /admin/subscribers  Accept: text/csv  every subscriber as CSV (the demo CSV's columns, no passwords)
 * POST   /admin/subscribers                    {"uri": ..., "telAliases": [...], "cpmEnabled": true, "barred": false,
 *                                              "password": ...}: 201 created; 409 when it exists, or one of its
 *                                              identities (or its digest username) is another subscriber's
 * POST   /admin/subscribers  Content-Type: text/csv   import: all lines or none; 200 {"created": n, "updated": m};
 *                                              400/409 with {"problems": [{"line": 7, "message": ...}]}
 * GET    /admin/subscribers/{uri}              the subscriber (404): identities, flags, whether a password is set
 * PUT    /admin/subscribers/{uri}              the fields given change (telAliases replaces the list); 200 (404, 409)
 * DELETE /admin/subscribers/{uri}              204: also out of every group and its registrations dropped (404)
 * PUT    /admin/subscribers/{uri}/password     {"password": "..."}: 204
 * </pre>
 *
 * {@code {uri}} is any identity of the subscriber, URL-encoded ({@code sip%3Aalice%40cpm.example.com}). The digest
 * username is the user part of the public identity, or stays the one the subscriber has. Changes through one node
 * are made one at a time (a check of who owns an identity, then the save); every change is one {@link AdminAudit}
 * line.
 */
public final class SubscriberAdminRoute extends RouteBuilder {

    static final String BASE_PATH = "/admin/subscribers";
    /** Longest password accepted, characters. */
    static final int MAX_PASSWORD_CHARS = 256;
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 1000;
    static final String CSV = "text/csv; charset=utf-8";

    private final SubscriberStore subscribers;
    private final GroupStore groups;
    private final RegistrationStore registrations;
    private final String realm;
    private final AdminAudit audit;
    private final ReentrantLock changes = new ReentrantLock();

    public SubscriberAdminRoute(SubscriberStore subscribers, GroupStore groups, RegistrationStore registrations,
                                String realm, AdminAudit audit) {
        this.subscribers = subscribers;
        this.groups = groups;
        this.registrations = registrations;
        this.realm = realm;
        this.audit = audit;
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

    /** A subscriber as the API takes it; on a PUT, a field left out stays as it is. */
    record SubscriberInput(String uri, List<String> telAliases, Boolean cpmEnabled, Boolean barred, String password) {
        @Override
        public String toString() {
            return "SubscriberInput[" + uri + ", password " + (password == null ? "none" : "given") + "]";
        }
    }

    /** One page of the list. */
    @JsonPropertyOrder({"page", "pageSize", "pages", "total", "subscribers"})
    record PageJson(int page, int pageSize, int pages, int total, List<SubscriberJson> subscribers) {
    }

    /** The body of a password change. */
    record PasswordJson(String password) {
        @Override
        public String toString() {
            return "PasswordJson[hidden]";
        }
    }

    @Override
    public void configure() {
        rest(BASE_PATH)
                .get().id("admin-subscribers-list").to("direct:admin-subscribers-list")
                .post().id("admin-subscribers-create").to("direct:admin-subscribers-create")
                .get("/{uri}").id("admin-subscriber-get").to("direct:admin-subscriber-get")
                .put("/{uri}").id("admin-subscriber-update").to("direct:admin-subscriber-update")
                .delete("/{uri}").id("admin-subscriber-delete").to("direct:admin-subscriber-delete")
                .put("/{uri}/password").id("admin-subscriber-password").to("direct:admin-subscriber-password");
        handle("admin-subscribers-list", this::list);
        handle("admin-subscribers-create", this::createOrImport);
        handle("admin-subscriber-get", r -> GroupAdmin.ok(200, SubscriberJson.of(existing(r))));
        handle("admin-subscriber-update", this::update);
        handle("admin-subscriber-delete", this::delete);
        handle("admin-subscriber-password", this::setPassword);
    }

    private void handle(String name, GroupAdmin.Handler handler) {
        from("direct:" + name).routeId(name).process(e -> GroupAdmin.serve(e, handler)).id(name + "-handle");
    }

    // ---- reading

    private GroupAdmin.Reply list(Message request) {
        List<Subscriber> all = subscribers.list();
        String accept = request.getHeader("Accept", "", String.class).toLowerCase(Locale.ROOT);
        if (accept.contains("text/csv")) {
            return new GroupAdmin.Reply(200, CSV, SubscriberCsv.write(all).getBytes(StandardCharsets.UTF_8));
        }
        int size = positive(request, "size", DEFAULT_PAGE_SIZE);
        if (size > MAX_PAGE_SIZE) {
            throw new GroupAdmin.Refusal(400, "size is at most " + MAX_PAGE_SIZE);
        }
        int page = positive(request, "page", 1);
        int pages = Math.max(1, (all.size() + size - 1) / size);
        int from = (int) Math.min((long) (page - 1) * size, all.size());
        List<SubscriberJson> shown = all.subList(from, Math.min(from + size, all.size())).stream()
                .map(SubscriberJson::of).toList();
        return GroupAdmin.ok(200, new PageJson(page, size, pages, all.size(), shown));
    }

    private static int positive(Message request, String name, int fallback) {
        String value = request.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new GroupAdmin.Refusal(400, name + " is a whole number from 1, got '" + value + "'");
    }

    private Subscriber existing(Message request) {
        String uri = GroupAdmin.pathParam(request, GroupAdmin.URI).trim();
        return subscribers.findByIdentity(uri)
                .orElseThrow(() -> new GroupAdmin.Refusal(404, "no subscriber " + uri));
    }

    // ---- changes

    private GroupAdmin.Reply createOrImport(Message request) {
        String type = request.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        return type.startsWith("text/csv") ? importCsv(request) : create(request);
    }

    private GroupAdmin.Reply create(Message request) {
        SubscriberInput in = GroupAdmin.read(request, SubscriberInput.class);
        if (in.uri() == null || in.uri().isBlank()) {
            throw new GroupAdmin.Refusal(400, "uri is required: the subscriber's SIP URI, sip:user@domain");
        }
        String uri = SubscriberCsv.checkPublicIdentity(in.uri().trim());
        Subscriber subscriber = new Subscriber(uri, aliases(in.telAliases(), List.of()),
                in.cpmEnabled() == null || in.cpmEnabled(), in.barred() != null && in.barred());
        if (in.password() != null) {
            subscriber = subscriber.withCredentials(credentials(subscriber, null, checkedPassword(in.password())));
        }
        changes.lock();
        try {
            if (subscribers.findByIdentity(uri).isPresent()) {
                throw new GroupAdmin.Refusal(409, "subscriber " + uri + " already exists; change it with PUT "
                        + BASE_PATH + "/{uri} (cpm-admin subscribers update)");
            }
            save(subscriber);
        } finally {
            changes.unlock();
        }
        audit.record(request, "subscriber.create", uri, described(subscriber, in.password() != null));
        return GroupAdmin.ok(201, SubscriberJson.of(subscriber));
    }

    private GroupAdmin.Reply update(Message request) {
        SubscriberInput in = GroupAdmin.read(request, SubscriberInput.class);
        Subscriber updated;
        changes.lock();
        try {
            Subscriber current = existing(request);
            if (in.uri() != null && !in.uri().trim().equals(current.publicIdentity())) {
                throw new GroupAdmin.Refusal(400, "the public identity of " + current.publicIdentity()
                        + " cannot change (got " + in.uri() + "): create a new subscriber and delete this one");
            }
            updated = new Subscriber(current.publicIdentity(), aliases(in.telAliases(), current.telAliases()),
                    in.cpmEnabled() != null ? in.cpmEnabled() : current.cpmEnabled(),
                    in.barred() != null ? in.barred() : current.barred(),
                    in.password() != null ? credentials(current, current.credentials(), checkedPassword(in.password()))
                            : current.credentials());
            save(updated);
        } finally {
            changes.unlock();
        }
        Map<String, Object> change = new LinkedHashMap<>();
        if (in.telAliases() != null) {
            change.put("telAliases", updated.telAliases());
        }
        if (in.cpmEnabled() != null) {
            change.put("cpmEnabled", updated.cpmEnabled());
        }
        if (in.barred() != null) {
            change.put("barred", updated.barred());
        }
        if (in.password() != null) {
            change.put("password", "set");
        }
        audit.record(request, "subscriber.update", updated.publicIdentity(), change);
        return GroupAdmin.ok(200, SubscriberJson.of(updated));
    }

    private GroupAdmin.Reply delete(Message request) {
        Subscriber gone;
        List<String> leftGroups = new ArrayList<>();
        int bindings;
        changes.lock();
        try {
            gone = existing(request);
            if (!subscribers.remove(gone.publicIdentity())) {
                throw new GroupAdmin.Refusal(404, "no subscriber " + gone.publicIdentity());
            }
            // nobody is left in a group who can no longer receive: the group's members and allowed senders
            List<String> identities = gone.identities();
            for (Group group : groups.list()) {
                boolean member = group.members().stream().anyMatch(identities::contains);
                boolean sender = group.allowedSenders().stream().anyMatch(identities::contains);
                if (member || sender) {
                    groups.update(group.uri(), g -> new Group(g.uri(), g.displayName(),
                            without(g.members(), identities), g.sendPolicy(), without(g.allowedSenders(), identities),
                            g.supportedServices()));
                    leftGroups.add(group.uri());
                }
            }
            bindings = registrations.unbindAll(gone.publicIdentity());
        } finally {
            changes.unlock();
        }
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("removedFromGroups", leftGroups);
        change.put("registrationsDropped", bindings);
        audit.record(request, "subscriber.delete", gone.publicIdentity(), change);
        return GroupAdmin.Reply.empty(204);
    }

    private static List<String> without(List<String> list, List<String> identities) {
        return list.stream().filter(i -> !identities.contains(i)).toList();
    }

    private GroupAdmin.Reply setPassword(Message request) {
        PasswordJson body = GroupAdmin.read(request, PasswordJson.class);
        String password = checkedPassword(body.password());
        Subscriber subscriber;
        changes.lock();
        try {
            Subscriber current = existing(request);
            subscriber = current.withCredentials(credentials(current, current.credentials(), password));
            save(subscriber);
        } finally {
            changes.unlock();
        }
        audit.record(request, "subscriber.password", subscriber.publicIdentity(),
                Map.of("password", "set", "digestUsername", subscriber.credentials().username(), "realm", realm));
        return GroupAdmin.Reply.empty(204);
    }

    // ---- import

    private GroupAdmin.Reply importCsv(Message request) {
        byte[] body = request.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new GroupAdmin.Refusal(400, "empty CSV");
        }
        List<SubscriberCsv.Row> rows;
        try {
            rows = SubscriberCsv.parse(new String(body, StandardCharsets.UTF_8).lines().toList(), "csv");
        } catch (SubscriberCsv.InvalidCsvException e) {
            return problems(400, e.problems());
        }
        SubscriberImport.Result result;
        changes.lock();
        try {
            SubscriberImport plan = SubscriberImport.plan(rows, subscribers.list(),
                    (subscriber, current, password) -> credentials(subscriber, current, checkedPassword(password)));
            if (!plan.problems().isEmpty()) {
                return problems(409, plan.problems());
            }
            result = plan.apply(subscribers);
        } catch (GroupAdmin.Refusal r) {
            throw r;
        } catch (IllegalArgumentException e) {
            throw new GroupAdmin.Refusal(409, "nothing imported: " + e.getMessage());
        } finally {
            changes.unlock();
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("created", result.created());
        counts.put("updated", result.updated());
        Map<String, Object> change = new LinkedHashMap<>(counts);
        change.put("passwordsSet", result.passwordsSet());
        audit.record(request, "subscriber.import", BASE_PATH, change);
        return GroupAdmin.ok(200, counts);
    }

    private static GroupAdmin.Reply problems(int status, List<SubscriberCsv.Problem> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", problems.size() + " problem(s) in the CSV; nothing imported");
        body.put("problems", problems);
        return GroupAdmin.ok(status, body);
    }

    // ---- helpers

    /** The aliases given, checked, or {@code otherwise} when none were given. */
    private static List<String> aliases(List<String> given, List<String> otherwise) {
        if (given == null) {
            return otherwise;
        }
        List<String> checked = new ArrayList<>();
        for (String alias : given) {
            checked.add(SubscriberCsv.checkTelAlias(alias == null ? null : alias.trim()));
        }
        return checked;
    }

    /** A password's digests: for the username the subscriber has, or the user part of its public identity. */
    private DigestCredentials credentials(Subscriber subscriber, DigestCredentials current, String password) {
        String username = Optional.ofNullable(current).map(DigestCredentials::username)
                .orElseGet(() -> DigestCredentials.defaultUsername(subscriber.publicIdentity()));
        return DigestCredentials.fromPassword(username, realm, password);
    }

    static String checkedPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new GroupAdmin.Refusal(400, "password is required and must not be empty");
        }
        if (password.length() > MAX_PASSWORD_CHARS || password.chars().anyMatch(Character::isISOControl)) {
            throw new GroupAdmin.Refusal(400, "a password has at most " + MAX_PASSWORD_CHARS
                    + " characters and no control characters");
        }
        return password;
    }

    /**
     * Saves after checking that no identity and no digest username of the subscriber is another's (409 naming
     * it); the store's own check still stands against a change made meanwhile through another node.
     */
    private void save(Subscriber subscriber) {
        String uri = subscriber.publicIdentity();
        for (String identity : subscriber.identities()) {
            subscribers.findByIdentity(identity).filter(owner -> !owner.publicIdentity().equals(uri))
                    .ifPresent(owner -> {
                        throw new GroupAdmin.Refusal(409, identity + " already belongs to " + owner.publicIdentity());
                    });
        }
        if (subscriber.hasCredentials()) {
            String username = subscriber.credentials().username();
            subscribers.findByDigestUsername(username).filter(owner -> !owner.publicIdentity().equals(uri))
                    .ifPresent(owner -> {
                        throw new GroupAdmin.Refusal(409, "digest username " + username + " already belongs to "
                                + owner.publicIdentity());
                    });
        }
        try {
            subscribers.save(subscriber);
        } catch (IllegalArgumentException e) {
            throw new GroupAdmin.Refusal(409, e.getMessage());
        }
    }

    /** What the audit says of a new subscriber: everything but the password, of which only whether it was set. */
    private static Map<String, Object> described(Subscriber s, boolean passwordSet) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("telAliases", s.telAliases());
        m.put("cpmEnabled", s.cpmEnabled());
        m.put("barred", s.barred());
        m.put("password", passwordSet ? "set" : "none");
        return m;
    }
}
