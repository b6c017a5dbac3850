package org.cpmrouter.routes.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.cpmrouter.sip.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's bearer token: every request to camel-main's embedded HTTP server (every path, so that an admin
 * resource added later is covered too) must carry {@code Authorization: Bearer <cpm.admin.token>}; otherwise it
 * is answered {@code 401} with {@code WWW-Authenticate: Bearer} and a JSON error, before any route sees it.
 * The token is compared in constant time (as SHA-256 digests, so its length does not show either) and never logged.
 *
 * <p>Two paths are open without it: {@code GET /health/live} and {@code GET /health/ready}, which a kubelet or a load
 * balancer probes and which tell only whether the router serves and takes traffic, check by check. {@code /metrics}
 * (traffic volumes, rule ids) is guarded like the rest.
 */
public final class AdminTokenGuard implements AuthenticationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AdminTokenGuard.class);
    private static final String BEARER = "Bearer ";
    /** Paths served without the token: the probes. */
    private static final Set<String> OPEN_PATHS = Set.of("/health/live", "/health/ready");
    private static final String REFUSAL = "{\"error\":\"the admin API needs Authorization: Bearer <cpm.admin.token>\"}";

    private final byte[] expected;

    AdminTokenGuard(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("an admin token guard needs a token");
        }
        this.expected = sha256(token.trim());
    }

    /**
     * Puts a guard for this token in front of the HTTP server that {@code main} starts, before any route can take
     * a request: through the server's authentication configuration, which it applies when it starts.
     */
    public static void install(Main main, String token) {
        AdminTokenGuard guard = new AdminTokenGuard(token);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                guard.attachTo(configured.getCamelContext());
            }
        });
    }

    private void attachTo(CamelContext context) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            throw new IllegalStateException("the admin token is set but camel-main has no HTTP server to guard");
        }
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath("/*");
        entry.setAuthenticationProviderFactory(vertx -> null); // the guard checks the token itself
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <T extends io.vertx.ext.auth.authentication.AuthenticationProvider> AuthenticationHandler
                    createAuthenticationHandler(T provider) {
                return AdminTokenGuard.this;
            }
        });
        AuthenticationConfig config = server.getConfiguration().getAuthenticationConfig();
        if (config == null) {
            config = new AuthenticationConfig(new java.util.ArrayList<>());
            server.getConfiguration().setAuthenticationConfig(config);
        }
        config.getEntries().add(entry);
        config.setEnabled(true);
        LOG.info("admin API: every request needs the admin token (cpm.admin.token)");
    }

    @Override
    public void handle(RoutingContext http) {
        if (isProbe(http)) {
            http.next();
            return;
        }
        String authorization = http.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && MessageDigest.isEqual(expected, sha256(authorization.substring(BEARER.length()).trim()))) {
            http.next();
            return;
        }
        LOG.warn("admin request refused: {} {} from {}: {}", LogText.of(http.request().method()),
                LogText.of(http.request().path()),
                http.request().remoteAddress(), authorization == null ? "no Authorization header"
                        : authorization.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? "wrong token"
                        : "not a Bearer token");
        http.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"cpm-admin\"")
                .putHeader("Content-Type", "application/json")
                .end(REFUSAL);
    }

    /** A GET or HEAD of a health path, exactly (the router's normalized path: no {@code ..} gets past it). */
    private static boolean isProbe(RoutingContext http) {
        String method = http.request().method().name();
        return ("GET".equals(method) || "HEAD".equals(method)) && OPEN_PATHS.contains(http.normalizedPath());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
