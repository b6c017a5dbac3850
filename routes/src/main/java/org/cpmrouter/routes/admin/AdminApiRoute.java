package org.cpmrouter.routes.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.groupstore.SubscriberStore;

/**
 * The admin HTTP API for CPM Pre-defined Groups, in Camel's REST DSL on the embedded HTTP server of camel-main
 * (camel-platform-http-main, Vert.x). Group URIs in paths are URL-encoded
 * ({@code /admin/groups/sip%3Afamily%40cpm.example.com}). JSON shapes: {@link GroupJson}, {@link MemberJson};
 * every error is {@code {"error": "..."}}.
 *
 * <pre>
 * GET    /admin/groups                           list
 * POST   /admin/groups                           create (201; 409 if it exists)
 * GET    /admin/groups/{uri}                     one group (404)
 * PUT    /admin/groups/{uri}                     create (201) or replace (200)
 * DELETE /admin/groups/{uri}                     204 (404)
 * GET    /admin/groups/{uri}/members             the members
 * POST   /admin/groups/{uri}/members             {"member": ...}: 201 added, 200 already a member (404; 422 when
 *                                                it is neither a subscriber nor a non-CPM user)
 * DELETE /admin/groups/{uri}/members/{member}    204 (404)
 * GET    /admin/groups/{uri}/document            the OMA XDM list-service document (application/xml)
 * PUT    /admin/groups/{uri}/document            import a whole document (400 with the parser's message)
 * </pre>
 *
 * The HTTP server is camel-main's: pass {@link #serverProperties(String, int)} to camel-main.
 */
public final class AdminApiRoute extends RouteBuilder {

    public static final String BASE_PATH = "/admin/groups";
    /** Largest request body the server reads (a group document with a few thousand members fits). */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private final GroupAdmin admin;

    /**
     * The {@code /document} resource uses the group store's OMA XDM codec.
     *
     * @param subscribers   members must be subscribers, or non-CPM users: tel: numbers or addresses of
     * @param nonCpmDomains these domains ({@code cpm.interworking.non-cpm-domains})
     * @param audit         where each change is written
     */
    public AdminApiRoute(GroupStore groups, SubscriberStore subscribers, Set<String> nonCpmDomains, AdminAudit audit) {
        this(groups, GroupDocumentCodec.xdm(), subscribers, nonCpmDomains, audit);
    }

    /** With this document codec; {@code null}: the {@code /document} resource answers 501. */
    public AdminApiRoute(GroupStore groups, GroupDocumentCodec documents, SubscriberStore subscribers,
                         Set<String> nonCpmDomains, AdminAudit audit) {
        this.admin = new GroupAdmin(groups, documents, new GroupMemberCheck(subscribers, nonCpmDomains), audit);
    }

    /**
     * The camel-main properties that start its embedded HTTP server on {@code host:port} (keys of
     * camel-main 4.18's {@code camel.server.*} group): enabled, bound, no multipart uploads, bodies up to
     * {@link #MAX_BODY_BYTES}. The management features (health, dev console, upload) are {@code camel.management.*}
     * and stay off.
     */
    public static Map<String, String> serverProperties(String host, int port) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.server.enabled", "true");
        p.put("camel.server.host", host);
        p.put("camel.server.port", Integer.toString(port));
        p.put("camel.server.fileUploadEnabled", "false");
        p.put("camel.server.maxBodySize", Integer.toString(MAX_BODY_BYTES));
        return p;
    }

    /**
     * Fails when the admin API's address cannot be bound now (another process holds the port): camel-main's HTTP
     * server binds in the background and only logs that, so the router would say it is ready without its admin API.
     * Checked before the start by binding and releasing the address, as the server will.
     *
     * @throws IllegalStateException naming the address and the setting
     */
    public static void requireFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("the admin API cannot listen on " + host + ":" + port
                    + " (cpm.admin.port): " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
    }

    @Override
    public void configure() {
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        rest(BASE_PATH)
                .get().id("admin-groups-list").to("direct:admin-groups-list")
                .post().id("admin-groups-create").to("direct:admin-groups-create")
                .get("/{uri}").id("admin-group-get").to("direct:admin-group-get")
                .put("/{uri}").id("admin-group-put").to("direct:admin-group-put")
                .delete("/{uri}").id("admin-group-delete").to("direct:admin-group-delete")
                .get("/{uri}/members").id("admin-members-list").to("direct:admin-members-list")
                .post("/{uri}/members").id("admin-members-add").to("direct:admin-members-add")
                .delete("/{uri}/members/{member}").id("admin-members-remove").to("direct:admin-members-remove")
                .get("/{uri}/document").id("admin-document-get").to("direct:admin-document-get")
                .put("/{uri}/document").id("admin-document-put").to("direct:admin-document-put");

        handle("admin-groups-list", admin::list);
        handle("admin-groups-create", admin::create);
        handle("admin-group-get", admin::get);
        handle("admin-group-put", admin::put);
        handle("admin-group-delete", admin::delete);
        handle("admin-members-list", admin::members);
        handle("admin-members-add", admin::addMember);
        handle("admin-members-remove", admin::removeMember);
        handle("admin-document-get", admin::document);
        handle("admin-document-put", admin::putDocument);
    }

    private void handle(String name, GroupAdmin.Handler handler) {
        from("direct:" + name).routeId(name)
                .process(e -> admin.serve(e, handler)).id(name + "-handle");
    }
}
