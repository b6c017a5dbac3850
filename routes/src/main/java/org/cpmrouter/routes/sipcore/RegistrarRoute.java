package org.cpmrouter.routes.sipcore;

import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.routes.path.Hops;

/**
 * SIP/IP Core, registration: REGISTER → registrar bindings in the registration store → 200 with the bindings; a
 * registration that bound a contact hands the address of record to the messages held for it (sent after the 200).
 */
public final class RegistrarRoute extends RouteBuilder {

    public static final String ROUTE_ID = "registrar";

    private final Registrar registrar;

    public RegistrarRoute(Registrar registrar) {
        this.registrar = registrar;
    }

    @Override
    public void configure() {
        from(Hops.REGISTRAR).routeId(ROUTE_ID)
                .process(e -> registrar.register(e.getMessage())).id("register")
                .filter(exchangeProperty(Registrar.REGISTERED).isNotNull())
                    .to(Hops.RECIPIENT_REGISTERED).id("to-held-messages")
                .end();
    }
}
