package org.cpmrouter.routes.metrics;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code GET /metrics} on the admin HTTP server: the {@link RouterMetrics} registry in the Prometheus text format
 * (version 0.0.4), for Prometheus to scrape. Behind the admin token when one is set, like every admin path.
 */
public final class MetricsRoute extends RouteBuilder {

    public static final String ROUTE_ID = "admin-metrics";
    public static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final RouterMetrics metrics;

    public MetricsRoute(RouterMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?httpMethodRestrict=GET").routeId(ROUTE_ID)
                .process(this::scrape).id("scrape-metrics");
    }

    private void scrape(Exchange exchange) {
        exchange.getMessage().setBody(metrics.scrape());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
    }
}
