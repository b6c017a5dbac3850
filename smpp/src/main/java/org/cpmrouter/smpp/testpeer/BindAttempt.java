package org.cpmrouter.smpp.testpeer;

/**
 * A bind the SMSC test peer answered.
 *
 * @param systemId      the system_id the client gave
 * @param bindType      bind_transceiver, bind_transmitter or bind_receiver, as jSMPP names it
 * @param addressRange  the address_range (a handset's number), or empty
 * @param commandStatus 0 when accepted, else the bind_resp command_status
 */
public record BindAttempt(String systemId, String bindType, String addressRange, int commandStatus) {

    public boolean accepted() {
        return commandStatus == 0;
    }
}
