package org.cpmrouter.sip.camel;

/** {@link SipMessageOverloadTest} with UDP on the lean path: refusals before parsing, retransmissions absorbed. */
class SipMessageOverloadLeanUdpTest extends SipMessageOverloadTest {

    @Override
    String udpPath() {
        return "lean";
    }
}
