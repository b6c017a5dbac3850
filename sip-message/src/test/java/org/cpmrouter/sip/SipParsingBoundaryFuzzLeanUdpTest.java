package org.cpmrouter.sip;

/** {@link SipParsingBoundaryFuzzTest} with UDP on the lean path: the same cases, the same outcomes. */
class SipParsingBoundaryFuzzLeanUdpTest extends SipParsingBoundaryFuzzTest {

    @Override
    String udpPath() {
        return "lean";
    }
}
