package org.cpmrouter.smpp;

/** Why a submission did not reach the SMSC, or was not accepted by it. */
public final class SmppSubmitException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The three ways a submission fails. */
    public enum Kind {
        /** The link is not bound (SMSC down, bind refused, link closed): nothing was sent, nothing is queued. */
        UNAVAILABLE,
        /** The SMSC answered a part with a non-zero command_status. */
        REFUSED,
        /** The SMSC did not answer a part within the response timeout; whether it took the part is unknown. */
        TIMEOUT
    }

    private final Kind kind;
    private final int commandStatus;

    SmppSubmitException(Kind kind, int commandStatus, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.commandStatus = kind == Kind.REFUSED ? commandStatus : 0;
    }

    static SmppSubmitException unavailable(String message, Throwable cause) {
        return new SmppSubmitException(Kind.UNAVAILABLE, 0, message, cause);
    }

    static SmppSubmitException refused(int commandStatus, String message) {
        return new SmppSubmitException(Kind.REFUSED, commandStatus, message, null);
    }

    static SmppSubmitException timeout(String message, Throwable cause) {
        return new SmppSubmitException(Kind.TIMEOUT, 0, message, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The SMPP command_status of a REFUSED submission; 0 otherwise. */
    public int commandStatus() {
        return commandStatus;
    }
}
