package org.cpmrouter.routes.testsupport;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.cpmrouter.groupstore.CpmDataStores;
import org.cpmrouter.groupstore.DemoDataLoader;
import org.cpmrouter.routes.auth.AuthFailures;
import org.cpmrouter.routes.auth.BanList;
import org.cpmrouter.routes.auth.CoreAuthentication;
import org.cpmrouter.routes.auth.DigestAuthSettings;
import org.cpmrouter.routes.auth.TrustedPeers;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.config.SourceBanSettings;
import org.cpmrouter.routes.interworking.InterworkingFunctionRoute;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.CpmAddresses;
import org.cpmrouter.routes.path.Leg;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.policy.DryRun;
import org.cpmrouter.routes.policy.InterworkingSettings;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.routes.policy.UriListSettings;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.routes.sipcore.DeferredSettings;
import org.cpmrouter.routes.sipcore.MessageLimits;
import org.cpmrouter.routes.sipcore.RecipientDeliveryRoute;
import org.cpmrouter.routes.sipcore.SenderRateLimit;
import org.cpmrouter.routes.sipcore.SipErrorHandlingConfiguration;
import org.cpmrouter.routes.sipcore.SipIngressRoute;
import org.cpmrouter.routes.sipcore.SipIpCoreRoute;
import org.cpmrouter.rules.PolicyEngine;
import org.cpmrouter.rules.RuleCompiler;
import org.cpmrouter.rules.RuleSet;
import org.cpmrouter.sip.camel.SipMessageBinding;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.cpmrouter.sip.cpim.CpmHeaders;

/**
 * What every route test shares, built the way {@code CpmRouter.newMain} builds it: the shipped configuration
 * ({@code config/application.properties}, with {@link #settings()} on top), in-memory stores loaded with the demo
 * subscribers and groups (bob has a registered client), the rules compiled from the repository's {@code rules/}
 * folder, and the {@link PolicyGateway} over them. The Camel context runs in advice-with mode: a test class names
 * its role routes ({@link #roleRoutes()}) and replaces their SIP edges and downstream hops by mocks
 * ({@link #adviseRoutes()}); the context starts after that. Nothing opens a socket.
 *
 * <p>Hops are woven by node id ({@code weaveById("to-recipient-client")}), not by URI: the routes send to
 * {@code {{cpm.hop.*}}} placeholders, and {@code weaveByToUri} resolves its pattern but compares it with the
 * unresolved placeholder, so {@code weaveByToUri("sip-message:*")} matches nothing.
 */
public abstract class RouteTestSupport extends CamelTestSupport {

    public static final String ALICE = "sip:alice@cpm.example.com";
    public static final String BOB = "sip:bob@cpm.example.com";
    public static final String CAROL = "sip:carol@cpm.example.com";
    /** CPM-enabled but barred in the demo data. */
    public static final String MALLORY = "sip:mallory@cpm.example.com";
    /** The demo Pre-defined Group: alice, bob and carol, members only may send. */
    public static final String FAMILY = "sip:family@cpm.example.com";
    /** A number the store does not know: a non-CPM user, reached by SMS. */
    public static final String SMS_NUMBER = "tel:+15559990000";
    /** bob's registered client; carol has none. */
    public static final String BOB_CONTACT = "sip:bob@127.0.0.1:5072";
    /** The one trusted peer of the test configuration (another router node). */
    public static final String TRUSTED_PEER = "10.0.0.2";

    /** Compiling the shipped rules takes a few seconds: once per test JVM. */
    private static RuleSet shippedRules;

    protected RouterConfig config;
    protected CpmDataStores stores;
    protected CpmAddresses addresses;
    protected InterworkingSettings interworking;
    protected PolicyGateway policy;
    /** The routes' metrics, in a registry of the test's own. */
    protected final RouterMetrics metrics = new RouterMetrics();
    /** Delivery reports over {@link #policy}, sending into the test context's {@code cpm.hop.core}. */
    protected DeliveryReports reports;

    /** The settings a test class changes from the shipped configuration. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /** The role routes under test, built from the fixture (the error handling configuration is added to them). */
    protected abstract List<RoutesBuilder> roleRoutes() throws Exception;

    /** Replaces the SIP edges and the hops after the routes under test by mocks (AdviceWith). */
    protected abstract void adviseRoutes() throws Exception;

    @Override
    public void configureTest(TestExecutionConfiguration testConfiguration) {
        super.configureTest(testConfiguration);
        testConfiguration.withUseAdviceWith(true);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        buildFixture();
        CamelContext camel = super.createCamelContext();
        Properties properties = new Properties();
        config.asMap().forEach((key, value) -> {
            if (!RouterConfig.isSecret(key)) { // as CpmRouter.newMain hands them to Camel
                properties.setProperty(key, value);
            }
        });
        camel.getPropertiesComponent().setOverrideProperties(properties);
        reports.attachTo(camel);
        return camel;
    }

    private void buildFixture() throws Exception {
        Path home = repositoryRoot();
        Map<String, String> overrides = new HashMap<>();
        overrides.put("cpm.sip.trusted-peers", TRUSTED_PEER);
        overrides.put("cpm.smsc.embedded-test-peer", "false");
        overrides.putAll(settings());
        config = RouterConfig.load(home.resolve("config"), home, Map.of(), overrides);
        stores = CpmDataStores.startInMemory();
        DemoDataLoader.loadIfEmpty(stores.subscribers(), config.configPath("cpm.demo-data.subscribers"),
                DigestAuthSettings.from(config).realm());
        DemoDataLoader.loadGroupsIfEmpty(stores.groups(), config.configPath("cpm.demo-data.groups"));
        stores.registrations().bind(BOB, BOB_CONTACT, 3600, "register-bob@127.0.0.1", 1);
        addresses = new CpmAddresses(config.get("cpm.domain"), config.getList("cpm.domain.aliases"));
        interworking = InterworkingSettings.from(config);
        policy = policyWith(interworking);
        reports = new DeliveryReports(policy, addresses, config.getInt("cpm.reports.max-per-sender-per-second"),
                java.time.Clock.systemUTC());
    }

    /** A gateway to the shipped rules over the fixture's stores, with these interworking settings. */
    protected PolicyGateway policyWith(InterworkingSettings settings) throws Exception {
        return new PolicyGateway(new PolicyEngine(rules(), List.of()), stores.subscribers(), stores.groups(),
                addresses, settings, UriListSettings.from(config, addresses), metrics);
    }

    /** The rules of the repository's {@code rules/} folder, compiled once. */
    protected static synchronized RuleSet rules() throws Exception {
        if (shippedRules == null) {
            shippedRules = RuleCompiler.compile(repositoryRoot().resolve("rules"));
        }
        return shippedRules;
    }

    /** The folder of the top-level pom ({@code cpm.home}, which surefire sets; else the routes module's parent). */
    protected static Path repositoryRoot() {
        return Path.of(System.getProperty("cpm.home", "..")).toAbsolutePath().normalize();
    }

    /** How the core knows senders, as configured ({@code cpm.auth.enabled}), as {@code CpmRouter} builds it. */
    protected CoreAuthentication authentication() {
        SourceBanSettings banSettings = SourceBanSettings.from(config);
        BanList bans = BanList.from(stores.bans(), trustedPeers(), banSettings);
        return CoreAuthentication.from(DigestAuthSettings.from(config), stores.subscribers(), addresses, trustedPeers(),
                AuthFailures.of(bans, banSettings));
    }

    protected TrustedPeers trustedPeers() {
        return TrustedPeers.from(config);
    }

    protected SipIngressRoute sipIngressRoute() {
        return new SipIngressRoute(trustedPeers(), MessageLimits.from(config), authentication().ingressStep(),
                metrics);
    }

    protected SipIpCoreRoute sipIpCoreRoute() {
        return new SipIpCoreRoute(authentication().identityAsserter(), policy, SenderRateLimit.from(config));
    }

    /** The core serving the recipient, holding messages in the in-memory deferred store. */
    protected RecipientDeliveryRoute recipientDeliveryRoute() {
        return new RecipientDeliveryRoute(policy, stores.registrations(), stores.deferred(),
                DeferredSettings.from(config), System::currentTimeMillis, reports, metrics);
    }

    /** The Interworking Function asking {@code rules}, without an SMPP link ({@link #withoutSmppLink()}). */
    protected InterworkingFunctionRoute interworkingFunctionRoute(PolicyGateway rules) {
        return new InterworkingFunctionRoute(rules, config, stores.subscribers(), addresses, withoutSmppLink(),
                stores.smsReceipts(), reports, metrics);
    }

    /**
     * The same settings without an Interworking Function for SMS: a route built with these starts no SMPP link
     * (the SMSC is an external peer), while the rules, asked through {@link #policy}, still see SMS configured.
     */
    protected InterworkingSettings withoutSmppLink() {
        return new InterworkingSettings(interworking.identifier(), interworking.nonCpmDomains(), Set.of());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> builders = new ArrayList<>();
        builders.add(new SipErrorHandlingConfiguration());
        builders.addAll(roleRoutes());
        return builders.toArray(RoutesBuilder[]::new);
    }

    @Override
    protected void doPostSetup() throws Exception {
        if (context.isStarted()) { // else the SIP consumer would have bound its port before the advice replaced it
            throw new IllegalStateException("advice-with mode: the context must start after the advice");
        }
        adviseRoutes();
        context.start();
        if (context.hasComponent("sip-message") != null) {
            throw new IllegalStateException("a sip-message endpoint is left in the routes: mock it in adviseRoutes()");
        }
    }

    @Override
    protected void doPostTearDown() throws Exception {
        if (stores != null) {
            stores.close();
        }
    }

    /** A request from {@code src/test/resources/sip/<name>.sip}, on an exchange as the SIP consumer puts it. */
    protected Exchange request(String name) {
        Exchange exchange = new DefaultExchange(context);
        SipMessageBinding.toCamel(DryRun.parse(fixture(name)), exchange.getMessage());
        return exchange;
    }

    protected static byte[] fixture(String name) {
        try (InputStream in = RouteTestSupport.class.getResourceAsStream("/sip/" + name + ".sip")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture sip/" + name + ".sip");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A request from a fixture as it stands at a leg of the path: sent by {@code sender} (asserted, as the core does)
     * to {@code target} (its Request-URI), with the leg marker of that leg (the sender served on the originating
     * side, the target on the terminating side).
     */
    protected Exchange atLeg(Leg leg, String fixture, String sender, String target) {
        Exchange exchange = request(fixture);
        var message = exchange.getMessage();
        message.setHeader(SipMessageConstants.REQUEST_URI, target);
        message.setHeader(CpmHeaders.P_ASSERTED_IDENTITY, "<" + sender + ">");
        switch (leg) {
            case NEW -> { }
            case AT_ORIGINATING_PARTICIPATING -> ServedUserMarker.handTo(message, sender, true);
            case ORIGINATING_DONE -> {
                ServedUserMarker.handTo(message, sender, true);
                ServedUserMarker.markServed(message);
            }
            case AT_TERMINATING_PARTICIPATING -> ServedUserMarker.handTo(message, target, false);
            case TERMINATING_DONE -> {
                ServedUserMarker.handTo(message, target, false);
                ServedUserMarker.markServed(message);
            }
        }
        return exchange;
    }

    /**
     * Sends the request and asserts that it passed: the mocks' expectations are met (within 5 s), the final status
     * (what the mocks answered) and the rules that fired are as given. Returns the exchange, for further checks.
     */
    protected Exchange assertPassed(int expectedStatus, List<String> firedRuleIds, String endpoint, Exchange request)
            throws InterruptedException {
        Exchange done = send(endpoint, request);
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
        assertEquals(expectedStatus, outcome(done).status(), () -> outcome(done).toString());
        assertEquals(firedRuleIds, firedRules(done));
        return done;
    }

    /**
     * Sends the request and asserts the refusal: its status and reason, the rules that fired, and that none of
     * {@code untouched} (mocks of the hops after the route) received anything.
     */
    protected void assertRefused(SipOutcome expected, List<String> firedRuleIds, String endpoint, Exchange request,
                                 String... untouched) throws InterruptedException {
        for (String mock : untouched) {
            getMockEndpoint(mock).expectedMessageCount(0);
        }
        Exchange done = send(endpoint, request);
        assertEquals(expected, outcome(done));
        assertEquals(firedRuleIds, firedRules(done));
        MockEndpoint.assertIsSatisfied(context, 5, SECONDS);
    }

    /** Sends the exchange to a route's endpoint and returns it, done. */
    protected Exchange send(String endpoint, Exchange exchange) {
        return template.send(endpoint, exchange);
    }

    /** A mock that answers what it receives with a final SIP status, as a SIP hop's producer would. */
    protected MockEndpoint answering(String mockUri, int status) {
        MockEndpoint mock = getMockEndpoint(mockUri);
        mock.whenAnyExchangeReceived(e -> e.getMessage().setHeader(SipMessageConstants.STATUS_CODE, status));
        return mock;
    }

    protected static SipOutcome outcome(Exchange exchange) {
        return SipOutcome.of(exchange);
    }

    /** The ids of the rules that fired for the exchange, in order. */
    @SuppressWarnings("unchecked")
    protected static List<String> firedRules(Exchange exchange) {
        List<String> fired = exchange.getProperty(PolicyGateway.FIRED_RULES, List.class);
        return fired == null ? List.of() : fired;
    }
}
