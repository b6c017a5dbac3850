package org.cpmrouter.sip;

/** {@link WireHygieneTest} with UDP on the lean path. */
class WireHygieneLeanUdpTest extends WireHygieneTest {

    @Override
    SipNodeConfig.UdpPath udpPath() {
        return SipNodeConfig.UdpPath.LEAN;
    }
}
