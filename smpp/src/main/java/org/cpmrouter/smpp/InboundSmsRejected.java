package org.cpmrouter.smpp;

/** Thrown by an {@link InboundSmsHandler} to answer the deliver_sm with a non-zero command_status. */
public final class InboundSmsRejected extends Exception {

    private static final long serialVersionUID = 1L;

    private final int commandStatus;

    /**
     * @param commandStatus the deliver_sm_resp command_status, not 0 (ESME_RX_T_APPN 0x64 asks the SMSC to retry,
     *                      ESME_RX_P_APPN 0x65 tells it to give up)
     * @param reason        why, for the log
     */
    public InboundSmsRejected(int commandStatus, String reason) {
        super(reason);
        if (commandStatus == 0) {
            throw new IllegalArgumentException("a rejection needs a non-zero command_status");
        }
        this.commandStatus = commandStatus;
    }

    public int commandStatus() {
        return commandStatus;
    }
}
