package org.cpmrouter.routes.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.cpmrouter.routes.path.Hops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's settings: built-in defaults, then {@code application.properties} and
 * {@code application-local.properties} of the configuration directory, then environment variables
 * ({@code cpm.sip.port} is {@code CPM_SIP_PORT}), then command-line options. The meaning of each key is documented
 * in {@code config/application.properties}. Relative paths of files that belong to the configuration
 * ({@code cpm.infinispan.config}, {@code cpm.demo-data.*}) are read from the configuration directory;
 * {@code cpm.rules.dir} and {@code cpm.data.dir} from the router's home (the folder holding {@code bin/}).
 */
public final class RouterConfig {

    private static final Logger LOG = LoggerFactory.getLogger(RouterConfig.class);

    /** A setting's value that the router chooses from others ({@link #maxInFlight}). */
    public static final String AUTO = "auto";
    /** {@code cpm.overload.max-in-flight=auto} with {@code cpm.sip.udp-path=lean}. */
    public static final int LEAN_MAX_IN_FLIGHT = 1000;
    /** {@code cpm.overload.max-in-flight=auto} with {@code cpm.sip.udp-path=jain-sip}. */
    public static final int STACK_MAX_IN_FLIGHT = 100;

    /** Every key the router reads, with its default. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("cpm.domain", "cpm.example.com");
        d.put("cpm.domain.aliases", "127.0.0.1,localhost");
        d.put("cpm.sip.host", "127.0.0.1");
        d.put("cpm.sip.port", "5060");
        d.put("cpm.sip.transports", "udp,tcp");
        d.put("cpm.sip.threads", "8");
        d.put("cpm.sip.udp-path", "lean");
        d.put("cpm.sip.queue-timeout-ms", "2000");
        d.put("cpm.sip.transaction-timeout-ms", "32000");
        d.put("cpm.sip.trusted-peers", "");
        d.put("cpm.sip.tls-port", "5061");
        d.put("cpm.sip.tls.key-store", "");
        d.put("cpm.sip.tls.key-store-password", "");
        d.put("cpm.sip.tls.key-store-type", "PKCS12");
        d.put("cpm.sip.tls.trust-store", "");
        d.put("cpm.sip.tls.trust-store-password", "");
        d.put("cpm.sip.tls.protocols", "TLSv1.2");
        d.put("cpm.sip.tls.cipher-suites", "");
        d.put("cpm.sip.tls.client-auth", "Disabled");
        d.put("cpm.sip.tls.unverified-hops", "");
        d.put("cpm.limits.max-body-bytes", "1300");
        d.put("cpm.limits.content-types", "message/cpim,text/plain,message/imdn+xml");
        d.put("cpm.limits.sender-rate", "1");
        d.put("cpm.limits.sender-burst", "30");
        d.put("cpm.auth.enabled", "true");
        d.put("cpm.auth.realm", "");
        d.put("cpm.auth.algorithms", "SHA-256,MD5");
        d.put("cpm.auth.md5-only-user-agents", "baresip,SIPp");
        d.put("cpm.auth.md5-only-without-user-agent", "true");
        d.put("cpm.auth.nonce-ttl-seconds", "300");
        d.put("cpm.auth.nonce-secret", "");
        d.put("cpm.auth.max-active-nonces", "100000");
        d.put("cpm.auth.max-failures", "20");
        d.put("cpm.auth.failure-window-seconds", "60");
        d.put("cpm.auth.ban-seconds", "300");
        d.put("cpm.flood.max-requests", "500");
        d.put("cpm.flood.window-seconds", "2");
        d.put("cpm.flood.ban-seconds", "300");
        d.put("cpm.bans.exempt-addresses", "");
        d.put("cpm.overload.max-in-flight", "auto");
        d.put("cpm.overload.retry-after-seconds", "5");
        d.put("cpm.overload.burst-ms", "300");
        d.put("cpm.overload.connection-backlog-kb", "0");
        d.put("cpm.data.dir", "data");
        d.put("cpm.infinispan.config", "infinispan.xml");
        d.put("cpm.cluster.node-name", "");
        d.put("cpm.rules.dir", "rules");
        d.put("cpm.rules.watch", "true");
        d.put("cpm.rules.reload-quiet-ms", "200");
        d.put("cpm.audit.file", "audit/decisions.jsonl");
        d.put("cpm.audit.admin-file", "audit/admin.jsonl");
        d.put("cpm.audit.max-file-size", "50MB");
        d.put("cpm.audit.max-files", "10");
        d.put("cpm.demo-data.subscribers", "demo/subscribers.csv");
        d.put("cpm.demo-data.groups", "demo/groups");
        d.put("cpm.registrar.min-expires", "60");
        d.put("cpm.registrar.max-expires", "86400");
        d.put("cpm.registrar.default-expires", "3600");
        d.put("cpm.registrar.service-route", "");
        d.put("cpm.deferred.expiry", "7d");
        d.put("cpm.deferred.max-per-recipient", "1000");
        d.put("cpm.deferred.max-total-bytes", "1073741824");
        d.put("cpm.deferred.retry-interval", "30s");
        d.put(Hops.CORE_HOP, Hops.SIP_IP_CORE);
        d.put(Hops.PARTICIPATING_ORIGINATING_HOP, Hops.PARTICIPATING_ORIGINATING);
        d.put(Hops.PARTICIPATING_TERMINATING_HOP, Hops.PARTICIPATING_TERMINATING);
        d.put(Hops.RECIPIENT_CLIENT_HOP, "sip-message:request-uri");
        d.put(Hops.CONTROLLING_FUNCTION_HOP, Hops.CONTROLLING_FUNCTION);
        d.put("cpm.controlling.fanout-in-flight", "32");
        d.put("cpm.controlling.fanout-journal-interval-ms", "100");
        d.put("cpm.uri-list.address", "sip:exploder@cpm.example.com");
        d.put("cpm.uri-list.max-recipients", "100");
        d.put(Hops.URI_LIST_SERVICE_HOP, Hops.URI_LIST_SERVICE);
        d.put(Hops.INTERWORKING_HOP, Hops.INTERWORKING);
        d.put("cpm.interworking.service-header", "Non-CPM-Service");
        d.put("cpm.interworking.non-cpm-domains", "");
        d.put("cpm.smsc.enabled", "true");
        d.put("cpm.smsc.host", "127.0.0.1");
        d.put("cpm.smsc.port", "2775");
        d.put("cpm.smsc.system-id", "cpmrouter");
        d.put("cpm.smsc.password", "secret");
        d.put("cpm.smsc.system-type", "");
        d.put("cpm.smsc.enquire-link-interval-ms", "30000");
        d.put("cpm.smsc.reconnect-delay-ms", "5000");
        d.put("cpm.smsc.response-timeout-ms", "10000");
        d.put("cpm.smsc.unavailable-retry-after-seconds", "30");
        d.put("cpm.smsc.embedded-test-peer", "true");
        d.put("cpm.reports.max-per-sender-per-second", "10");
        d.put("cpm.reports.sms-receipt-expiry-hours", "168");
        d.put("cpm.admin.host", "127.0.0.1");
        d.put("cpm.admin.port", "8081");
        d.put("cpm.admin.token", "");
        d.put("cpm.shutdown.drain-timeout-ms", "5000");
        d.put("cpm.startup.warm-up", "true");
        d.put("cpm.startup.warm-up-ms", "3000");
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private final Map<String, String> values;
    private final Path configDir;
    private final Path home;

    private RouterConfig(Map<String, String> values, Path configDir, Path home) {
        this.values = Collections.unmodifiableMap(values);
        this.configDir = configDir;
        this.home = home;
    }

    /**
     * Resolves the settings.
     *
     * @param configDir the configuration directory (may lack application.properties: defaults then apply)
     * @param home      base of relative rules and data paths
     * @param env       the environment, usually {@code System.getenv()}
     * @param overrides command-line settings, which win over everything
     */
    public static RouterConfig load(Path configDir, Path home, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        for (String file : List.of("application.properties", "application-local.properties")) {
            Path p = configDir.resolve(file);
            if (Files.isRegularFile(p)) {
                Properties props = new Properties();
                try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                    props.load(r);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage(), e);
                }
                for (String key : props.stringPropertyNames()) {
                    if (key.startsWith("cpm.") && !DEFAULTS.containsKey(key)) {
                        LOG.warn("{}: unknown setting '{}' ignored", p, key);
                        continue;
                    }
                    values.put(key, props.getProperty(key).trim());
                }
            }
        }
        for (String key : DEFAULTS.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv.trim());
            }
        }
        values.putAll(overrides);
        RouterConfig config = new RouterConfig(values, configDir.toAbsolutePath().normalize(),
                home.toAbsolutePath().normalize());
        config.validate();
        return config;
    }

    /** The environment variable that overrides a key: {@code cpm.sip.port} is {@code CPM_SIP_PORT}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void validate() {
        int port = getInt("cpm.sip.port");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cpm.sip.port must be 1-65535, got " + port);
        }
        for (String key : List.of("cpm.sip.threads", "cpm.sip.queue-timeout-ms", "cpm.limits.max-body-bytes", "cpm.registrar.min-expires", "cpm.registrar.max-expires",
                "cpm.registrar.default-expires", "cpm.controlling.fanout-in-flight", "cpm.uri-list.max-recipients",
                "cpm.controlling.fanout-journal-interval-ms", "cpm.admin.port",
                "cpm.smsc.port", "cpm.smsc.enquire-link-interval-ms", "cpm.smsc.reconnect-delay-ms",
                "cpm.smsc.response-timeout-ms", "cpm.smsc.unavailable-retry-after-seconds",
                "cpm.rules.reload-quiet-ms", "cpm.audit.max-files", "cpm.reports.max-per-sender-per-second",
                "cpm.reports.sms-receipt-expiry-hours")) {
            if (getInt(key) < 1) {
                throw new IllegalArgumentException(key + " must be positive, got " + get(key));
            }
        }
        for (String key : List.of("cpm.sip.transaction-timeout-ms", "cpm.shutdown.drain-timeout-ms")) {
            if (getInt(key) < 1) {
                throw new IllegalArgumentException(key + " must be positive, got " + get(key));
            }
        }
        for (String key : List.of("cpm.limits.sender-rate", "cpm.limits.sender-burst")) {
            try {
                if (Double.parseDouble(get(key)) < 0) {
                    throw new IllegalArgumentException(key + " must not be negative, got " + get(key));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, got '" + get(key) + "'");
            }
        }
        if (!List.of("lean", "jain-sip").contains(get("cpm.sip.udp-path"))) {
            throw new IllegalArgumentException("cpm.sip.udp-path must be lean or jain-sip, got '"
                    + get("cpm.sip.udp-path") + "'");
        }
        if (getInt("cpm.startup.warm-up-ms") < 0) {
            throw new IllegalArgumentException("cpm.startup.warm-up-ms must be 0 (off) or positive, got "
                    + get("cpm.startup.warm-up-ms"));
        }
        if (!List.of("true", "false").contains(get("cpm.startup.warm-up"))) {
            throw new IllegalArgumentException("cpm.startup.warm-up must be true or false, got '"
                    + get("cpm.startup.warm-up") + "'");
        }
        String bound = get("cpm.overload.max-in-flight").trim();
        if (!AUTO.equals(bound) && !bound.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("cpm.overload.max-in-flight must be auto, 0 (off) or a positive whole "
                    + "number, got '" + bound + "'");
        }
        if (getInt("cpm.overload.burst-ms") < 0) {
            throw new IllegalArgumentException("cpm.overload.burst-ms must be 0 (a strict bound) or positive, got "
                    + get("cpm.overload.burst-ms"));
        }
        int backlogKb = getInt("cpm.overload.connection-backlog-kb");
        if (backlogKb < 0 || backlogKb > 1_048_576) {
            throw new IllegalArgumentException("cpm.overload.connection-backlog-kb must be 0 (off) or 1-1048576 "
                    + "(KiB), got " + get("cpm.overload.connection-backlog-kb"));
        }
        if (getInt("cpm.overload.retry-after-seconds") < 1) {
            throw new IllegalArgumentException("cpm.overload.retry-after-seconds must be positive, got "
                    + get("cpm.overload.retry-after-seconds"));
        }
        for (String key : values.keySet()) {
            if (key.startsWith("cpm.hop.") && get(key).isBlank()) {
                throw new IllegalArgumentException(key + " must name an endpoint URI");
            }
        }
        String listService = get("cpm.uri-list.address").trim();
        if (!listService.startsWith("sip:") || !listService.contains("@")) {
            throw new IllegalArgumentException("cpm.uri-list.address must be a SIP URI with a user part, e.g. "
                    + "sip:exploder@cpm.example.com, got '" + listService + "'");
        }
        SipTlsSettings.validate(this);
        SourceBanSettings.validate(this);
        AdminAccess.requireTokenOffLoopback(get("cpm.admin.host"), get(AdminAccess.TOKEN_KEY));
    }

    /** Settings whose values are secrets: never logged, never handed to Camel's property placeholders. */
    public static boolean isSecret(String key) {
        return key.endsWith("password") || key.endsWith("-secret") || key.equals(AdminAccess.TOKEN_KEY);
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no setting " + key);
        }
        return v;
    }

    public int getInt(String key) {
        try {
            return Integer.parseInt(get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + get(key) + "'");
        }
    }

    public List<String> getList(String key) {
        String v = get(key);
        if (v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A path setting that belongs to the configuration, relative to the configuration directory. */
    public Path configPath(String key) {
        return configDir.resolve(get(key)).normalize();
    }

    /** A path setting relative to the router's home. */
    public Path homePath(String key) {
        return home.resolve(get(key)).normalize();
    }

    public Path configDir() {
        return configDir;
    }

    /** Every resolved setting, for Camel's property placeholders. */
    public Map<String, String> asMap() {
        return values;
    }

    /**
     * {@code cpm.overload.max-in-flight}, with {@code auto} resolved by the UDP path: {@value #LEAN_MAX_IN_FLIGHT} on
     * the lean path, whose own queue sheds a backlog before the bound is reached, so the bound need only cover a slow
     * next hop (the rate times its answer time); {@value #STACK_MAX_IN_FLIGHT} on the stack's, where the bound is
     * what keeps a backlog short (bench/README.md, issue 17, "max-in-flight against a slow next hop").
     */
    public int maxInFlight() {
        if (!AUTO.equals(get("cpm.overload.max-in-flight").trim())) {
            return getInt("cpm.overload.max-in-flight");
        }
        return "lean".equals(get("cpm.sip.udp-path")) ? LEAN_MAX_IN_FLIGHT : STACK_MAX_IN_FLIGHT;
    }

    public String sipAddress() {
        return get("cpm.sip.host") + ":" + get("cpm.sip.port");
    }
}
