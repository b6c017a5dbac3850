package org.cpmrouter.sip.cpim;

/** A {@code message/cpim} body that does not follow RFC 3862's layout. */
public class CpimFormatException extends IllegalArgumentException {

    public CpimFormatException(String message) {
        super(message);
    }
}
