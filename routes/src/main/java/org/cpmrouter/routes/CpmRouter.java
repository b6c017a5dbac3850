package org.cpmrouter.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.ToIntFunction;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;
import org.cpmrouter.groupstore.CpmDataStores;
import org.cpmrouter.groupstore.DemoDataLoader;
import org.cpmrouter.routes.admin.AdminApiRoute;
import org.cpmrouter.routes.admin.AdminAudit;
import org.cpmrouter.routes.admin.AdminTokenGuard;
import org.cpmrouter.routes.admin.BansAdminRoute;
import org.cpmrouter.routes.admin.RulesAdminRoute;
import org.cpmrouter.routes.admin.DeferredAdminRoute;
import org.cpmrouter.routes.admin.SubscriberAdminRoute;
import org.cpmrouter.routes.auth.AuthFailures;
import org.cpmrouter.routes.auth.BanList;
import org.cpmrouter.routes.auth.CoreAuthentication;
import org.cpmrouter.routes.auth.DigestAuthSettings;
import org.cpmrouter.routes.auth.TrustedPeers;
import org.cpmrouter.routes.config.AdminAccess;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.config.SipTlsSettings;
import org.cpmrouter.routes.config.SourceBanSettings;
import org.cpmrouter.routes.controlling.ControllingFunctionRoute;
import org.cpmrouter.routes.interworking.InterworkingFunctionRoute;
import org.cpmrouter.routes.health.HealthRoute;
import org.cpmrouter.routes.logging.AuditLogFile;
import org.cpmrouter.routes.metrics.MetricsRoute;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.participating.ParticipatingFunctionOriginatingRoute;
import org.cpmrouter.routes.participating.ParticipatingFunctionTerminatingRoute;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.policy.DryRun;
import org.cpmrouter.routes.policy.InterworkingSettings;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.routes.policy.UriListSettings;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.routes.sipcore.MessageLimits;
import org.cpmrouter.routes.sipcore.DeferredSettings;
import org.cpmrouter.routes.sipcore.RecipientDeliveryRoute;
import org.cpmrouter.routes.sipcore.Registrar;
import org.cpmrouter.routes.sipcore.RegistrarRoute;
import org.cpmrouter.routes.sipcore.SenderRateLimit;
import org.cpmrouter.routes.sipcore.ShutdownDrain;
import org.cpmrouter.routes.sipcore.SipErrorHandlingConfiguration;
import org.cpmrouter.routes.sipcore.SipIngressRoute;
import org.cpmrouter.routes.sipcore.SipIpCoreRoute;
import org.cpmrouter.routes.urilist.UriListServiceRoute;
import org.cpmrouter.rules.DecisionLog;
import org.cpmrouter.rules.JsonDecisionAudit;
import org.cpmrouter.rules.PolicyEngine;
import org.cpmrouter.rules.RuleCompiler;
import org.cpmrouter.rules.RuleReloader;
import org.cpmrouter.rules.RuleSet;
import org.cpmrouter.sip.camel.SipHeadersMapFactory;
import org.cpmrouter.sip.camel.SipMessageComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running router: the data stores, the compiled rules and the Camel routes of every role, started in that
 * order and stopped in the reverse one. {@link CpmRouterApplication} runs one from the command line; tests start
 * one in-process.
 */
public final class CpmRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CpmRouter.class);
    /** Inside cpm.data.dir: the compiled rule sets a restart loads instead of compiling the same files again. */
    static final String COMPILED_RULES_DIR = "compiled-rules";

    private final RouterConfig config;
    private final CpmDataStores stores;
    private final PolicyEngine engine;
    private final RuleReloader reloader;
    private final Main main;
    private final RouterMetrics metrics;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private CpmRouter(RouterConfig config, CpmDataStores stores, PolicyEngine engine, RuleReloader reloader,
                      Main main, RouterMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.stores = stores;
        this.engine = engine;
        this.reloader = reloader;
        this.main = main;
    }

    /**
     * Opens the stores (loading the demo subscribers and groups on first start), compiles the rules, and starts
     * the routes.
     *
     * @throws org.cpmrouter.rules.RuleCompilationException when a rule file does not compile (file and line given)
     */
    public static CpmRouter start(RouterConfig config) throws Exception {
        Path rulesDir = config.homePath("cpm.rules.dir");
        Path dataDir = config.homePath("cpm.data.dir");
        Path compiledRulesDir = dataDir.resolve(COMPILED_RULES_DIR);
        // the rules compile (about 4 s; 0.5 s when the data directory keeps a compile of the same rule files by the
        // same router) while the stores start (about 2.5 s): neither needs the other
        FutureTask<RuleSet> compiling = new FutureTask<>(
                () -> RuleCompiler.compile(rulesDir, compiledRulesDir));
        Thread compiler = new Thread(compiling, "cpm-rule-compiler");
        compiler.setDaemon(true);
        compiler.start();
        AuditLogFile.install(dataDir.resolve(config.get("cpm.audit.file")), config.get("cpm.audit.max-file-size"),
                config.getInt("cpm.audit.max-files"));
        AuditLogFile.installAlongside(AdminAudit.LOGGER, dataDir.resolve(config.get("cpm.audit.admin-file")),
                config.get("cpm.audit.max-file-size"), config.getInt("cpm.audit.max-files"));
        CpmDataStores stores;
        try {
            stores = CpmDataStores.start(config.configPath("cpm.infinispan.config"), dataDir,
                    java.time.Clock.systemUTC(), config.get("cpm.cluster.node-name"));
        } catch (RuntimeException | Error e) {
            compiling.cancel(true);
            throw e;
        }
        RuleReloader reloader = null;
        RouterMetrics metrics = new RouterMetrics().withJvmMetrics();
        try {
            RuleSet rules = compiled(compiling);
            loadDemoData(config, stores);
            PolicyEngine engine = new PolicyEngine(rules, List.of(new DecisionLog(), new JsonDecisionAudit()));
            reloader = new RuleReloader(engine, rulesDir, Duration.ofMillis(config.getInt("cpm.rules.reload-quiet-ms")),
                    compiledRulesDir);
            reloader.addListener(metrics::reloaded);
            metrics.watchRules(() -> engine.current().ruleIds().size());
            AdminApiRoute.requireFree(config.get("cpm.admin.host"), config.getInt("cpm.admin.port"));
            TrustedPeers trustedPeers = TrustedPeers.from(config);
            SenderRateLimit senderLimit = SenderRateLimit.from(config);
            Main main = newMain(config, stores, engine, reloader, metrics, trustedPeers, senderLimit);
            main.start();
            if (Boolean.parseBoolean(config.get("cpm.rules.watch"))) {
                reloader.start();
            }
            // before the ready line: see cpm.startup.warm-up
            StartupWarmUp.run(config, stores, trustedPeers, senderLimit);
            return new CpmRouter(config, stores, engine, reloader, main, metrics);
        } catch (Exception | Error e) {
            if (reloader != null) {
                reloader.close();
            }
            metrics.close();
            stores.close();
            throw e;
        }
    }

    /** The compiled rules, or the compiler's own failure (a RuleCompilationException names file and line). */
    private static RuleSet compiled(FutureTask<RuleSet> compiling) throws Exception {
        try {
            return compiling.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception failure) {
                throw failure;
            }
            throw (Error) e.getCause();
        }
    }

    private static void loadDemoData(RouterConfig config, CpmDataStores stores) {
        String realm = DigestAuthSettings.from(config).realm();
        loadDemo(config, "cpm.demo-data.subscribers", "subscribers",
                csv -> DemoDataLoader.loadIfEmpty(stores.subscribers(), csv, realm));
        loadDemo(config, "cpm.demo-data.groups", "groups",
                folder -> DemoDataLoader.loadGroupsIfEmpty(stores.groups(), folder));
    }

    /** Loads one kind of demo data named by a setting, on first start only; a blank setting loads none. */
    private static void loadDemo(RouterConfig config, String key, String what, ToIntFunction<Path> loader) {
        if (config.get(key).isBlank()) {
            return;
        }
        Path source = config.configPath(key);
        if (!Files.exists(source)) {
            LOG.warn("demo {} {} not found ({}); starting without them", what, source, key);
            return;
        }
        int loaded = loader.applyAsInt(source);
        if (loaded > 0) {
            LOG.info("first start: loaded {} demo {} from {}", loaded, what, source);
        }
    }

    /**
     * The router's Camel application, read top to bottom like Kamailio's main {@code route}: the SIP component's
     * settings, the role routes in the order a CPM Message passes them (clause 5.2.2.1; the hops between them are
     * in {@link org.cpmrouter.routes.path.Hops}), then the admin API.
     */
    private static Main newMain(RouterConfig config, CpmDataStores stores, PolicyEngine engine,
                                RuleReloader reloader, RouterMetrics metrics, TrustedPeers trustedPeers,
                                SenderRateLimit senderLimit) {
        Main main = new Main();
        main.setAppName("cpm-router");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport camel) {
                // message headers in a hash map that ignores case, in place of Camel's sorted one
                camel.getCamelContext().getCamelContextExtension().setHeadersMapFactory(new SipHeadersMapFactory());
            }
        });
        main.addOverrideProperty("camel.main.name", "cpm-router");
        for (Map.Entry<String, String> setting : config.asMap().entrySet()) {
            if (!RouterConfig.isSecret(setting.getKey())) { // passwords and the token stay out of Camel's properties
                main.addOverrideProperty(setting.getKey(), setting.getValue());
            }
        }
        CpmAddresses addresses = new CpmAddresses(config.get("cpm.domain"), config.getList("cpm.domain.aliases"));
        InterworkingSettings interworking = InterworkingSettings.from(config);
        UriListSettings uriList = UriListSettings.from(config, addresses);
        PolicyGateway policy = new PolicyGateway(engine, stores.subscribers(), stores.groups(), addresses, interworking,
                uriList, metrics);

        SourceBanSettings banSettings = SourceBanSettings.from(config);
        BanList bans = BanList.from(stores.bans(), trustedPeers, banSettings);
        LOG.info("source bans: {}; trusted peers never banned", banSettings.describe());
        sipComponentSettings(main, config, bans, metrics);
        DigestAuthSettings auth = DigestAuthSettings.from(config);
        DeliveryReports reports = DeliveryReports.from(config, policy, addresses);
        reports.installIn(main);
        metrics.watchDefences(bans::authFailureBans, bans::floodBans, senderLimit::refusals);
        roleRoutes(main, config, auth, stores, policy, addresses, interworking, reports, trustedPeers,
                AuthFailures.of(bans, banSettings), senderLimit, metrics);
        adminRoutes(main, config, auth, stores, engine, reloader, addresses, interworking, uriList, metrics);
        return main;
    }

    /**
     * The sip-message component: its traffic counted, TLS, the screen of banned sources, the router's own address
     * for what it sends, threads, timeouts, overload.
     */
    private static void sipComponentSettings(Main main, RouterConfig config, BanList bans, RouterMetrics metrics) {
        // the component found in the registry under its scheme is the one the routes use
        SipMessageComponent sip = new SipMessageComponent();
        sip.setTrafficListener(metrics);
        SipTlsSettings.of(config).ifPresent(sip::setTlsConfiguration);
        sip.setSourceScreen(bans);
        main.bind("sip-message", sip);
        // producers send from the router's own SIP address, so peers see one node
        main.addOverrideProperty("camel.component.sip-message.localAddress", config.sipAddress());
        main.addOverrideProperty("camel.component.sip-message.threadPoolSize", config.get("cpm.sip.threads"));
        main.addOverrideProperty("camel.component.sip-message.udpPath", config.get("cpm.sip.udp-path"));
        main.addOverrideProperty("camel.component.sip-message.queueTimeoutMs", config.get("cpm.sip.queue-timeout-ms"));
        main.addOverrideProperty("camel.component.sip-message.transactionTimeoutMs",
                config.get("cpm.sip.transaction-timeout-ms"));
        // Camel's own wait for exchanges in flight when it stops: a backstop after the router's drain (close())
        main.addOverrideProperty("camel.main.shutdownTimeout",
                Integer.toString(ShutdownDrain.seconds(config.getInt("cpm.shutdown.drain-timeout-ms"))));
        int maxInFlight = config.maxInFlight();
        int backlogKb = config.getInt("cpm.overload.connection-backlog-kb");
        LOG.info("overload control: {} (cpm.overload.max-in-flight={}, cpm.sip.udp-path={}, "
                        + "cpm.overload.connection-backlog-kb={})",
                maxInFlight == 0 ? "off" : "503 past " + maxInFlight + " requests in flight"
                        + (backlogKb == 0 ? "" : ", and over TCP and TLS behind more than " + backlogKb
                        + " KiB unread on their connection"),
                config.get("cpm.overload.max-in-flight").trim(), config.get("cpm.sip.udp-path"), backlogKb);
        main.addOverrideProperty("camel.component.sip-message.maxInFlight", Integer.toString(maxInFlight));
        main.addOverrideProperty("camel.component.sip-message.retryAfterSeconds",
                config.get("cpm.overload.retry-after-seconds"));
        main.addOverrideProperty("camel.component.sip-message.overloadBurstMs", config.get("cpm.overload.burst-ms"));
        main.addOverrideProperty("camel.component.sip-message.connectionBacklogKb",
                config.get("cpm.overload.connection-backlog-kb"));
    }

    /** The roles of clause 5.2.2.1, in the order a CPM Message passes them. */
    private static void roleRoutes(Main main, RouterConfig config, DigestAuthSettings auth, CpmDataStores stores,
                                   PolicyGateway policy, CpmAddresses addresses, InterworkingSettings interworking,
                                   DeliveryReports reports, TrustedPeers trustedPeers, AuthFailures failures,
                                   SenderRateLimit senderLimit, RouterMetrics metrics) {
        CoreAuthentication authentication = CoreAuthentication.from(auth, stores.subscribers(), addresses,
                trustedPeers, failures);
        Registrar registrar = Registrar.from(config, stores.subscribers(), stores.registrations(), addresses);
        MainConfigurationProperties routes = main.configure();

        routes.addRoutesBuilder(new SipErrorHandlingConfiguration());              // refusals become SIP answers
        routes.addRoutesBuilder(new SipIngressRoute(trustedPeers, MessageLimits.from(config),
                authentication.ingressStep(), metrics));
        routes.addRoutesBuilder(new RegistrarRoute(registrar));                    // REGISTER
        routes.addRoutesBuilder(new SipIpCoreRoute(authentication.identityAsserter(), policy, senderLimit));
        routes.addRoutesBuilder(new ParticipatingFunctionOriginatingRoute(policy)); // the sender's server
        routes.addRoutesBuilder(new ParticipatingFunctionTerminatingRoute(policy)); // a CPM User's server
        routes.addRoutesBuilder(new ControllingFunctionRoute(policy, addresses, stores.pendingFanOuts(),
                stores.groups(), reports, metrics));                                // a Pre-defined Group
        routes.addRoutesBuilder(new UriListServiceRoute(policy, stores.pendingFanOuts(), reports, metrics,
                config.getInt("cpm.limits.max-body-bytes"),
                config.getList("cpm.limits.content-types")));                       // a list of recipients
        routes.addRoutesBuilder(new InterworkingFunctionRoute(policy, config, stores.subscribers(), addresses,
                interworking, stores.smsReceipts(), reports, metrics));             // a non-CPM user
        routes.addRoutesBuilder(new RecipientDeliveryRoute(policy, stores.registrations(), stores.deferred(),
                DeferredSettings.from(config), System::currentTimeMillis, reports, metrics));    // the client(s)
    }

    /**
     * The admin API (groups, subscribers, rules), {@code /metrics} and {@code /health/*} on their own HTTP address,
     * 127.0.0.1 by default.
     */
    private static void adminRoutes(Main main, RouterConfig config, DigestAuthSettings auth, CpmDataStores stores,
                                    PolicyEngine engine, RuleReloader reloader, CpmAddresses addresses,
                                    InterworkingSettings interworking, UriListSettings uriList,
                                    RouterMetrics metrics) {
        AdminApiRoute.serverProperties(config.get("cpm.admin.host"), config.getInt("cpm.admin.port"))
                .forEach(main::addOverrideProperty);
        HealthRoute.camelMainProperties().forEach(main::addOverrideProperty);
        String adminToken = config.get(AdminAccess.TOKEN_KEY);
        if (!adminToken.isBlank()) {
            AdminTokenGuard.install(main, adminToken);
        }
        AdminAudit audit = new AdminAudit(!adminToken.isBlank());
        MainConfigurationProperties routes = main.configure();
        routes.addRoutesBuilder(new AdminApiRoute(stores.groups(), stores.subscribers(), interworking.nonCpmDomains(),
                audit));
        routes.addRoutesBuilder(new SubscriberAdminRoute(stores.subscribers(), stores.groups(),
                stores.registrations(), auth.realm(), audit));
        routes.addRoutesBuilder(new DeferredAdminRoute(stores.deferred(), stores.subscribers(), audit));
        routes.addRoutesBuilder(new BansAdminRoute(stores.bans(), audit));
        routes.addRoutesBuilder(new RulesAdminRoute(engine, reloader,
                context -> new DryRun(context, stores, addresses, interworking, uriList), audit));
        routes.addRoutesBuilder(new MetricsRoute(metrics));
        routes.addRoutesBuilder(new HealthRoute(config.get("cpm.sip.host"), config.getInt("cpm.sip.port"),
                config.getList("cpm.sip.transports"), stores, engine));
    }

    public RouterConfig config() {
        return config;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public CpmDataStores stores() {
        return stores;
    }

    public PolicyEngine policyEngine() {
        return engine;
    }

    /** The one line an operator (or a script) waits for. */
    public String readyLine() {
        return "CPM Router ready: SIP " + config.sipAddress() + " (" + String.join("+", config.getList("cpm.sip.transports"))
                + ")" + SipTlsSettings.of(config).map(tls -> ", TLS " + config.get("cpm.sip.host") + ":" + tls.port())
                        .orElse("") + ", domain " + config.get("cpm.domain") + ", rules " + engine.current().hash() + " ("
                + engine.current().ruleIds().size() + " rules from " + engine.current().directory() + "), admin http://"
                + config.get("cpm.admin.host") + ":" + config.get("cpm.admin.port")
                + (config.get(AdminAccess.TOKEN_KEY).isBlank() ? "" : " (token)") + ", trusted peers "
                + TrustedPeers.from(config).describe() + ", data " + config.homePath("cpm.data.dir");
    }

    /** The router's meter registry, as {@code GET /metrics} serves it. */
    public RouterMetrics metrics() {
        return metrics;
    }

    public RuleReloader ruleReloader() {
        return reloader;
    }

    /**
     * Drains (new requests get 503 with Retry-After; those in flight get up to {@code cpm.shutdown.drain-timeout-ms}
     * to finish), then stops the routes and closes the stores. Safe to call more than once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            new ShutdownDrain(camelContext(), config.getInt("cpm.shutdown.drain-timeout-ms")).run();
            reloader.close();
            main.stop();
        } finally {
            metrics.close();
            stores.close();
        }
        LOG.info("CPM Router stopped");
    }
}
