package org.cpmrouter.routes.admin;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.DeferredMessageStore;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API for messages held for subscribers (deferred delivery): how many, how large, since when, never what
 * they say:
 *
 * <pre>
 * GET    /admin/deferred/{uri}   {"uri", "count", "bytes", "oldestStoredAt"} (404: no such subscriber)
 * DELETE /admin/deferred/{uri}   removes them all: {"uri", "purged"}
 * </pre>
 *
 * {@code {uri}} is any identity of the subscriber, URL-encoded, as for {@code /admin/subscribers}.
 */
public final class DeferredAdminRoute extends RouteBuilder {

    static final String BASE_PATH = "/admin/deferred";

    private static final Logger LOG = LoggerFactory.getLogger("org.cpmrouter.admin");

    private final DeferredMessageStore deferred;
    private final SubscriberStore subscribers;
    private final AdminAudit audit;

    public DeferredAdminRoute(DeferredMessageStore deferred, SubscriberStore subscribers, AdminAudit audit) {
        this.deferred = deferred;
        this.subscribers = subscribers;
        this.audit = audit;
    }

    /** What is held for a subscriber, as the API shows it. */
    @JsonPropertyOrder({"uri", "count", "bytes", "oldestStoredAt"})
    record HeldJson(String uri, int count, long bytes, String oldestStoredAt) {
    }

    /** The answer to a purge. */
    @JsonPropertyOrder({"uri", "purged"})
    record PurgedJson(String uri, int purged) {
    }

    @Override
    public void configure() {
        rest(BASE_PATH)
                .get("/{uri}").id("admin-deferred-get").to("direct:admin-deferred-get")
                .delete("/{uri}").id("admin-deferred-purge").to("direct:admin-deferred-purge");
        from("direct:admin-deferred-get").routeId("admin-deferred-get")
                .process(e -> GroupAdmin.serve(e, this::get)).id("admin-deferred-get-handle");
        from("direct:admin-deferred-purge").routeId("admin-deferred-purge")
                .process(e -> GroupAdmin.serve(e, this::purge)).id("admin-deferred-purge-handle");
    }

    private GroupAdmin.Reply get(Message request) {
        String uri = subscriber(request).publicIdentity();
        DeferredMessageStore.Summary s = deferred.summary(uri);
        return GroupAdmin.ok(200, new HeldJson(uri, s.count(), s.bytes(),
                s.count() == 0 ? null : Instant.ofEpochMilli(s.oldestStoredAtMillis()).toString()));
    }

    private GroupAdmin.Reply purge(Message request) {
        String uri = subscriber(request).publicIdentity();
        int purged = deferred.purge(uri);
        LOG.info("admin: {} messages held for {} purged", purged, uri);
        audit.record(request, "deferred.purge", uri, java.util.Map.of("purged", purged));
        return GroupAdmin.ok(200, new PurgedJson(uri, purged));
    }

    private Subscriber subscriber(Message request) {
        String uri = GroupAdmin.pathParam(request, GroupAdmin.URI).trim();
        return subscribers.findByIdentity(uri)
                .orElseThrow(() -> new GroupAdmin.Refusal(404, "no subscriber " + uri));
    }
}
