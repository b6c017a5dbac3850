package org.cpmrouter.routes.sipcore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.cpmrouter.groupstore.Binding;
import org.cpmrouter.groupstore.RegistrationStore;
import org.cpmrouter.routes.metrics.RouterMetrics;
import org.cpmrouter.routes.path.ListRecipients;
import org.cpmrouter.routes.path.ServedUserMarker;
import org.cpmrouter.routes.path.SipOutcome;
import org.cpmrouter.routes.policy.PolicyGateway;
import org.cpmrouter.rules.Decision;
import org.cpmrouter.rules.facts.Destination;
import org.cpmrouter.sip.LogText;
import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core serving the recipient, delivering: the rules decide ({@code recipient-delivery.drl}) between the
 * recipient's clients and holding the message; to the clients, one copy goes to every registered device at once
 * (RFC 3428 allows a proxy to fork a MESSAGE) and the sender gets the first 2xx as soon as one device takes it.
 * A device that could not take it now (408, 480, 5xx, no answer) is held for, and gets it from the store when it
 * registers again. When no device took it: if one may later, the rules are asked again as for a recipient with no
 * reachable client (held: {@code 202}); if every device refused it for good, the sender gets the refusal.
 */
final class DeliveryToDevices extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientDeliveryRoute.class);

    private final PolicyGateway policy;
    private final RegistrationStore registrations;
    private final HeldMessages held;
    private final AsyncProducer devices;

    DeliveryToDevices(PolicyGateway policy, RegistrationStore registrations, HeldMessages held,
                      AsyncProducer devices) {
        this.policy = policy;
        this.registrations = registrations;
        this.held = held;
        this.devices = devices;
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(devices);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(devices);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        String recipient = ServedUserMarker.servedUser(message);
        try {
            List<Binding> bindings = recipient == null ? List.of() : registrations.activeBindings(recipient);
            Decision decision = policy.deliver(message, recipient, bindings);
            ServedUserMarker.clear(message);
            message.removeHeader(ListRecipients.HEADER);
            if (decision.destination() == Destination.DEFERRED_STORE) {
                hold(exchange, recipient);
                callback.done(true);
                return true;
            }
            new Fork(exchange, callback, recipient, bindings).start();
            return false;
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    /** Holds the message for whichever device registers and answers the sender 202. */
    private void hold(Exchange exchange, String recipient) {
        held.holdForAnyDevice(exchange.getMessage(), recipient);
        RouterMetrics.markOutcome(exchange, RouterMetrics.Outcome.DEFERRED);
        exchange.getMessage().setHeader(SipMessageConstants.STATUS_CODE, 202);
        exchange.getMessage().setHeader(SipMessageConstants.REASON_PHRASE, "Accepted");
        exchange.getMessage().removeHeader(SipMessageConstants.REFUSAL_HEADERS);
    }

    /** One message to every device of the recipient; the sender is answered once. */
    private final class Fork {
        private final Exchange exchange;
        private final AsyncCallback callback;
        private final String recipient;
        private final List<Binding> bindings;
        private final Message snapshot; // what is held for devices that miss it, after the sender was answered
        private final List<Exchange> answers = new ArrayList<>();
        private final Set<String> later = new HashSet<>();
        private boolean answered;

        Fork(Exchange exchange, AsyncCallback callback, String recipient, List<Binding> bindings) {
            this.exchange = exchange;
            this.callback = callback;
            this.recipient = recipient;
            this.bindings = bindings;
            this.snapshot = bindings.size() > 1 ? exchange.getMessage().copy() : null;
        }

        void start() {
            String callId = exchange.getMessage().getHeader("Call-ID", String.class);
            for (Binding device : bindings) {
                Exchange copy = exchange.copy();
                DeviceRoute.target(copy.getMessage(), device);
                LOG.info("deliver callId={} recipient={} contact={}{}", LogText.of(callId), LogText.of(recipient),
                        LogText.of(device.contact()),
                        device.path().isEmpty() ? "" : " via " + LogText.of(device.path()));
                try {
                    devices.process(copy, doneSync -> answered(device, copy));
                } catch (RuntimeException e) {
                    copy.setException(e);
                    answered(device, copy);
                }
            }
        }

        private void answered(Binding device, Exchange copy) {
            SipOutcome outcome = SipOutcome.of(copy);
            boolean answerNow = false;
            boolean allIn;
            synchronized (this) {
                answers.add(copy);
                if (!outcome.isSuccess() && HeldMessages.isTemporary(outcome.status())) {
                    later.add(device.device());
                }
                if (outcome.isSuccess() && !answered) {
                    answered = true;
                    answerNow = true;
                }
                allIn = answers.size() == bindings.size();
            }
            if (answerNow) {
                relay(copy);
                callback.done(false);
            }
            if (allIn) {
                allAnswered();
            }
        }

        private void allAnswered() {
            if (answered) {
                if (!later.isEmpty() && snapshot != null) {
                    held.holdForDevices(snapshot, recipient, later);
                }
                return;
            }
            try {
                if (!later.isEmpty()) {
                    Decision decision = policy.deliver(exchange.getMessage(), recipient, List.of());
                    if (decision.destination() == Destination.DEFERRED_STORE) {
                        hold(exchange, recipient);
                    } else {
                        relay(answers.get(0));
                    }
                } else {
                    relay(bestRefusal());
                }
            } catch (SipResponseException e) {
                exchange.setException(e);
            }
            callback.done(false);
        }

        /** Of several devices' refusals, a 6xx (global: RFC 3261 16.7) or else the first that came. */
        private Exchange bestRefusal() {
            return answers.stream().filter(a -> SipOutcome.of(a).status() >= 600).findFirst().orElse(answers.get(0));
        }

        /** The sender gets this device's answer: its status, reason and what a refusal carries. */
        private void relay(Exchange device) {
            if (device.getException() != null) {
                exchange.setException(device.getException());
                return;
            }
            Message from = device.getMessage();
            Message to = exchange.getMessage();
            for (String header : List.of(SipMessageConstants.STATUS_CODE, SipMessageConstants.REASON_PHRASE,
                    SipMessageConstants.REFUSAL_HEADERS, SipMessageConstants.NO_ANSWER)) {
                Object value = from.getHeader(header);
                if (value == null) {
                    to.removeHeader(header);
                } else {
                    to.setHeader(header, value);
                }
            }
        }
    }
}
