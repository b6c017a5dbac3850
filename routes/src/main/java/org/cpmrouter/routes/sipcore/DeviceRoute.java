package org.cpmrouter.routes.sipcore;

import org.apache.camel.Message;
import org.cpmrouter.groupstore.Binding;
import org.cpmrouter.sip.camel.SipMessageConstants;

/**
 * Where a request to one of the recipient's devices goes: its contact as Request-URI, and, when the device
 * registered through proxies that asked to stay on its path (RFC 3327 {@code Path}), those proxies as
 * {@code Route}, so it goes to the first of them. Any {@code Route} the request had is replaced: only the
 * registration decides where a delivery goes.
 */
final class DeviceRoute {

    private DeviceRoute() {
    }

    static void target(Message request, Binding device) {
        request.setHeader(SipMessageConstants.REQUEST_URI, device.contact());
        if (device.path().isEmpty()) {
            request.removeHeader("Route");
        } else {
            request.setHeader("Route", device.path());
        }
    }
}
