package org.cpmrouter.sip.urilist;

/**
 * A multiple-recipient request's body that cannot be read: a multipart body without its boundary or parts, a
 * recipient list that is not a resource-lists document. The message says what is wrong, for a 400 reason.
 */
public class UriListFormatException extends IllegalArgumentException {

    public UriListFormatException(String message) {
        super(message);
    }
}
