package org.cpmrouter.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * Gives the stack a {@link RequestScreeningParser} wherever it parses received messages (property
 * {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}; the stack instantiates this class by name).
 */
public final class RequestScreeningParserFactory implements MessageParserFactory {

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return new RequestScreeningParser(datagramLimit(stack));
    }

    /** The datagram receive buffer, as the stack sizes it (MAX_MESSAGE_SIZE when below the datagram maximum). */
    static int datagramLimit(SIPTransactionStack stack) {
        int limit = stack.getMaxMessageSize();
        return limit > 0 && limit < SipStackImpl.MAX_DATAGRAM_SIZE ? limit : SipStackImpl.MAX_DATAGRAM_SIZE;
    }
}
