package org.cpmrouter.routes.sipcore;

import java.util.function.LongSupplier;

import org.apache.camel.builder.RouteBuilder;
import org.cpmrouter.groupstore.DeferredMessageStore;
import org.cpmrouter.groupstore.RegistrationStore;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.Hops;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.routes.reports.DeliveryReports;

/**
 * SIP/IP Core serving the recipient → the recipient's CPM Clients: the rules ({@code recipient-delivery.drl})
 * send the message to every registered device at once, the first 2xx going back to the sender, or hold it until a
 * client registers ({@code 202}, deferred delivery: {@link HeldMessages}); see {@link DeliveryToDevices}. A device
 * registered through proxies that asked to stay on its path (RFC 3327 {@code Path}, as a P-CSCF adds) is reached
 * through them ({@link DeviceRoute}). Each copy to a device takes the {@value #DEVICE_ROUTE_ID} route, which is
 * also how held messages leave the store: when the recipient registers (the registrar hands the address of record
 * to {@value #ON_REGISTER_ROUTE_ID}) and on the store's timer.
 */
public final class RecipientDeliveryRoute extends RouteBuilder {

    public static final String ROUTE_ID = "recipient-delivery";
    public static final String DEVICE_ROUTE_ID = "recipient-device";
    public static final String ON_REGISTER_ROUTE_ID = "held-messages-on-register";

    private final PolicyGateway policy;
    private final RegistrationStore registrations;
    private final DeferredMessageStore store;
    private final DeferredSettings settings;
    private final LongSupplier clock;
    private final DeliveryReports reports;
    private final RouterMetrics metrics;

    /** @param metrics where held messages (deferred delivery) are counted */
    public RecipientDeliveryRoute(PolicyGateway policy, RegistrationStore registrations, DeferredMessageStore store,
                                  DeferredSettings settings, LongSupplier clock, DeliveryReports reports,
                                  RouterMetrics metrics) {
        this.metrics = metrics;
        this.policy = policy;
        this.registrations = registrations;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.reports = reports;
    }

    @Override
    public void configure() throws Exception {
        HeldMessages held = new HeldMessages(getContext(), Hops.RECIPIENT_DEVICE, store, registrations, settings,
                clock, reports, metrics);
        getContext().addService(held, true, true);

        from(Hops.RECIPIENT_DELIVERY).routeId(ROUTE_ID)
                .process(new DeliveryToDevices(policy, registrations, held,
                        getContext().getEndpoint(Hops.RECIPIENT_DEVICE).createAsyncProducer()))
                .id("deliver-to-devices");

        from(Hops.RECIPIENT_DEVICE).routeId(DEVICE_ROUTE_ID)
                .to(Hops.via(Hops.RECIPIENT_CLIENT_HOP)).id("to-recipient-client");

        from(Hops.RECIPIENT_REGISTERED).routeId(ON_REGISTER_ROUTE_ID)
                .process(e -> held.recipientRegistered(e.getProperty(Registrar.REGISTERED, String.class)))
                .id("send-held-messages");
    }
}
