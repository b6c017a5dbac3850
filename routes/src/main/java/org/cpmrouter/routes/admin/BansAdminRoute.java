package org.cpmrouter.routes.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.Ban;
import org.cpmrouter.groupstore.BanStore;
import org.cpmrouter.sip.SecurityEvents;

/**
 * The admin API for banned source addresses (failed authentications, floods: docs/security.md): which are banned,
 * why and until when, and lifting a ban before it ends:
 *
 * <pre>
 * GET    /admin/bans             [{"address", "reason", "count", "since", "until", "secondsLeft"}, ...]
 * DELETE /admin/bans/{address}   204; 404 when the address is not banned; 400 when it is no IP address
 * </pre>
 *
 * The bans are the cluster's (the {@code bans} cache): a ban lifted on one node is lifted on all.
 */
public final class BansAdminRoute extends RouteBuilder {

    static final String BASE_PATH = "/admin/bans";
    private static final String ADDRESS = "address";
    /** An IPv4 or IPv6 literal: letters of hex digits, dots and colons only, so parsing it never asks DNS. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final BanStore bans;
    private final AdminAudit audit;

    public BansAdminRoute(BanStore bans, AdminAudit audit) {
        this.bans = bans;
        this.audit = audit;
    }

    /** A ban as the API shows it. */
    @JsonPropertyOrder({"address", "reason", "count", "since", "until", "secondsLeft"})
    record BanJson(String address, String reason, long count, String since, String until, long secondsLeft) {
        static BanJson of(Ban ban, long nowMillis) {
            return new BanJson(ban.address(), ban.reason(), ban.count(), Instant.ofEpochMilli(ban.sinceMillis())
                    .toString(), Instant.ofEpochMilli(ban.untilMillis()).toString(),
                    Math.max(0, (ban.untilMillis() - nowMillis + 999) / 1000));
        }
    }

    @Override
    public void configure() {
        rest(BASE_PATH)
                .get().id("admin-bans-list").to("direct:admin-bans-list")
                .delete("/{" + ADDRESS + "}").id("admin-bans-lift").to("direct:admin-bans-lift");
        from("direct:admin-bans-list").routeId("admin-bans-list")
                .process(e -> GroupAdmin.serve(e, this::list)).id("admin-bans-list-handle");
        from("direct:admin-bans-lift").routeId("admin-bans-lift")
                .process(e -> GroupAdmin.serve(e, this::lift)).id("admin-bans-lift-handle");
    }

    private GroupAdmin.Reply list(Message request) {
        long now = System.currentTimeMillis();
        return GroupAdmin.ok(200, bans.all().stream().map(b -> BanJson.of(b, now)).toList());
    }

    private GroupAdmin.Reply lift(Message request) {
        String address = address(GroupAdmin.pathParam(request, ADDRESS).trim());
        if (!bans.lift(address)) {
            throw new GroupAdmin.Refusal(404, "address " + address + " is not banned");
        }
        SecurityEvents.lifted(address, "admin API");
        audit.record(request, "ban.lift", address, Map.of());
        return GroupAdmin.Reply.empty(204);
    }

    /** The address as the SIP stack writes it (IPv6 in full form), or a 400 naming what is wrong. */
    private static String address(String text) {
        if (!IP_LITERAL.matcher(text).matches() || !(text.contains(".") || text.contains(":"))) {
            throw new GroupAdmin.Refusal(400, "'" + text + "' is not an IP address (give it as the ban list "
                    + "shows it, e.g. 192.0.2.7)");
        }
        try {
            return InetAddress.getByName(text).getHostAddress();
        } catch (UnknownHostException e) {
            throw new GroupAdmin.Refusal(400, "'" + text + "' is not an IP address");
        }
    }
}
