package org.cpmrouter.routes;

import org.apache.camel.builder.RouteBuilder;

/** SIP/IP Core, registration: REGISTER → registrar bindings in the registration store → 200 with the bindings. */
public final class RegistrarRoute extends RouteBuilder {

    public static final String ROUTE_ID = "registrar";
    public static final String ENDPOINT = "direct:registrar";

    private final Registrar registrar;

    public RegistrarRoute(Registrar registrar) {
        this.registrar = registrar;
    }

    @Override
    public void configure() {
        from(ENDPOINT).routeId(ROUTE_ID)
                .process(e -> registrar.register(e.getMessage())).id("register");
    }
}
