package org.cpmrouter.smpp.testpeer;

import java.io.IOException;

import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;

/** Raw jSMPP binds with whatever system_id, password and address_range a test needs. */
final class HandsetClientBinds {

    private HandsetClientBinds() {
    }

    /** Binds and unbinds at once; throws when the peer refuses. */
    static void bindAs(int port, String systemId, String password, String addressRange) throws IOException {
        SMPPSession session = new SMPPSession();
        try {
            session.connectAndBind("127.0.0.1", port, new BindParameter(BindType.BIND_TRX, systemId, password, "",
                    TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, addressRange), 10_000);
        } finally {
            session.unbindAndClose();
        }
    }
}
