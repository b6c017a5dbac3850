package org.cpmrouter.sip.camel;

import java.util.Map;

import org.apache.camel.spi.HeadersMapFactory;

/**
 * Makes the headers of every Camel message a {@link CaseInsensitiveHeaders}: names match in any case, as Camel's
 * default map matches them, at a hash lookup's cost instead of a sorted map's, and they iterate in the order they
 * were put instead of sorted. The router sets it on its Camel context before the routes are built; an application
 * that embeds the component may set it on its own context
 * ({@code context.getCamelContextExtension().setHeadersMapFactory(new SipHeadersMapFactory())}), nothing else
 * changes for the component when it does not.
 */
public final class SipHeadersMapFactory implements HeadersMapFactory {

    @Override
    public Map<String, Object> newMap() {
        return new CaseInsensitiveHeaders();
    }

    @Override
    public Map<String, Object> newMap(Map<String, Object> map) {
        return new CaseInsensitiveHeaders(map);
    }

    @Override
    public boolean isInstanceOf(Map<String, Object> map) {
        return map instanceof CaseInsensitiveHeaders;
    }

    @Override
    public boolean isCaseInsensitive() {
        return true;
    }
}
