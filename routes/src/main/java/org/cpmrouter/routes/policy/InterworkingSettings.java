package org.cpmrouter.routes.policy;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.sip.cpim.NonCpmServiceIdentifier;

/**
 * What the router knows about non-CPM users, from its configuration: the codec of the Non-CPM Communication Service
 * Identifier, the domains the operator lists as non-CPM, and the non-CPM services it has an Interworking Function
 * for. The rules read the last two as facts (NonCpmDomain, InterworkingService).
 */
public record InterworkingSettings(NonCpmServiceIdentifier identifier, Set<String> nonCpmDomains,
                                   Set<String> services) {

    public InterworkingSettings {
        nonCpmDomains = Set.copyOf(nonCpmDomains);
        services = Set.copyOf(services);
    }

    /** {@code cpm.interworking.*}; SMS is a service when {@code cpm.smsc.enabled}. MMS has no interworking yet. */
    public static InterworkingSettings from(RouterConfig config) {
        Set<String> domains = new TreeSet<>();
        for (String domain : config.getList("cpm.interworking.non-cpm-domains")) {
            domains.add(domain.toLowerCase(Locale.ROOT));
        }
        Set<String> services = Boolean.parseBoolean(config.get("cpm.smsc.enabled"))
                ? Set.of(NonCpmServiceIdentifier.SMS) : Set.of();
        return new InterworkingSettings(new NonCpmServiceIdentifier(config.get("cpm.interworking.service-header")),
                domains, services);
    }
}
