package org.cpmrouter.routes.policy;

import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.path.CpmAddresses;

/**
 * The URI-list service's settings: its address ({@code cpm.uri-list.address}, canonical: a request to it carries
 * a list of recipients, RFC 5365) and the most distinct recipients one list may name
 * ({@code cpm.uri-list.max-recipients}). The rules read them as facts (UriListService, RecipientListSize).
 */
public record UriListSettings(String address, int maxRecipients) {

    public static UriListSettings from(RouterConfig config, CpmAddresses addresses) {
        return new UriListSettings(addresses.canonical(config.get("cpm.uri-list.address")),
                config.getInt("cpm.uri-list.max-recipients"));
    }
}
