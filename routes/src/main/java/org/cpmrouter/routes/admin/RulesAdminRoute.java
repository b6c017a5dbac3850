package org.cpmrouter.routes.admin;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.routes.policy.DryRun;
import org.cpmrouter.rules.PolicyEngine;
import org.cpmrouter.rules.RuleCompilationException;
import org.cpmrouter.rules.RuleCompiler;
import org.cpmrouter.rules.RuleProblem;
import org.cpmrouter.rules.RuleReloader;
import org.cpmrouter.rules.RuleSet;

/**
 * The admin API for the policy, for operators who deploy rules by pipeline rather than by editing in place:
 *
 * <pre>
 * GET  /admin/rules                  the running rule set (hash, rule ids) and the last reload (outcome, problems)
 * POST /admin/rules/reload           compile the rules directory now; 200 loaded or unchanged, 422 refused
 * POST /admin/rules/dry-run[?rules=DIR]  body: a SIP request as captured; each role's decision, sending nothing,
 *                                    against the live store and the running rules or a candidate directory
 * </pre>
 */
public final class RulesAdminRoute extends RouteBuilder {

    public static final String BASE_PATH = "/admin/rules";

    private final PolicyEngine engine;
    private final RuleReloader reloader;
    private final DryRunFactory dryRuns;
    private final AdminAudit audit;

    /** Makes the dry-run walker once the Camel context exists. */
    @FunctionalInterface
    public interface DryRunFactory {
        DryRun create(org.apache.camel.CamelContext context);
    }

    public RulesAdminRoute(PolicyEngine engine, RuleReloader reloader, DryRunFactory dryRuns, AdminAudit audit) {
        this.engine = engine;
        this.reloader = reloader;
        this.dryRuns = dryRuns;
        this.audit = audit;
    }

    @Override
    public void configure() {
        DryRun dryRun = dryRuns.create(getContext());
        rest(BASE_PATH)
                .get().id("admin-rules-status").to("direct:admin-rules-status")
                .post("/reload").id("admin-rules-reload").to("direct:admin-rules-reload")
                .post("/dry-run").id("admin-rules-dry-run").to("direct:admin-rules-dry-run");
        from("direct:admin-rules-status").routeId("admin-rules-status")
                .process(e -> GroupAdmin.serve(e, this::status)).id("admin-rules-status-handle");
        from("direct:admin-rules-reload").routeId("admin-rules-reload")
                .process(e -> GroupAdmin.serve(e, this::reload)).id("admin-rules-reload-handle");
        from("direct:admin-rules-dry-run").routeId("admin-rules-dry-run")
                .process(e -> GroupAdmin.serve(e, request -> dryRun(dryRun, request))).id("admin-rules-dry-run-handle");
    }

    private GroupAdmin.Reply status(Message request) {
        Map<String, Object> body = new LinkedHashMap<>();
        RuleSet running = engine.current();
        body.put("hash", running.hash());
        body.put("directory", running.directory().toString());
        body.put("files", running.files());
        body.put("ruleIds", running.ruleIds());
        body.put("lastReload", statusJson(reloader.status()));
        return GroupAdmin.ok(200, body);
    }

    private GroupAdmin.Reply reload(Message request) {
        RuleReloader.ReloadStatus status = reloader.reload("admin API");
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("outcome", status.outcome().name());
        change.put("activeHash", status.activeHash());
        change.put("problems", status.problems().size());
        audit.record(request, "rules.reload", engine.current().directory().toString(), change);
        return GroupAdmin.ok(status.outcome() == RuleReloader.ReloadStatus.Outcome.REFUSED ? 422 : 200,
                statusJson(status));
    }

    private GroupAdmin.Reply dryRun(DryRun dryRun, Message request) throws RuleCompilationException {
        byte[] wire = request.getBody(byte[].class);
        if (wire == null || wire.length == 0) {
            return GroupAdmin.error(400, "the body must be a SIP request as captured");
        }
        String candidate = request.getHeader("rules", String.class);
        RuleSet rules;
        try {
            rules = candidate == null || candidate.isBlank() ? engine.current() : RuleCompiler.compile(Path.of(candidate));
        } catch (RuleCompilationException e) {
            return GroupAdmin.error(422, "candidate rules refused:\n" + e.getMessage());
        }
        DryRun.Report report = dryRun.run(DryRun.parse(wire), rules);
        return new GroupAdmin.Reply(200, "text/plain; charset=UTF-8",
                report.toText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Map<String, Object> statusJson(RuleReloader.ReloadStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", s.outcome().name());
        m.put("trigger", s.trigger());
        m.put("at", s.at() == null ? null : s.at().toString());
        m.put("activeHash", s.activeHash());
        m.put("candidateHash", s.candidateHash());
        m.put("problems", s.problems() == null ? List.of() : s.problems().stream()
                .map(RuleProblem::toString).toList());
        m.put("compileMillis", s.compileMillis());
        return m;
    }
}
