package org.cpmrouter.routes.admin;

import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.XdmGroupDocuments;

/**
 * Reads and writes a group as an OMA XDM list-service document, for the admin API's {@code /document} resource:
 * {@link #xdm()} in the router ({@link XdmGroupDocuments}), a stand-in in tests.
 */
public interface GroupDocumentCodec {

    /** The whole document as a group, or {@link InvalidDocumentException} with the parser's message. */
    Group parse(byte[] xml, String sourceName) throws InvalidDocumentException;

    /** The group as a document, UTF-8. */
    byte[] write(Group group);

    /** A document the codec refused; the message says why and is shown to the operator as is. */
    final class InvalidDocumentException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidDocumentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The group store's OMA XDM codec ({@link XdmGroupDocuments}). */
    static GroupDocumentCodec xdm() {
        return new GroupDocumentCodec() {
            @Override
            public Group parse(byte[] xml, String sourceName) throws InvalidDocumentException {
                try {
                    return XdmGroupDocuments.parse(xml, sourceName);
                } catch (IllegalArgumentException e) { // XdmDocumentException, or a Group the record refuses
                    throw new InvalidDocumentException(e.getMessage(), e);
                }
            }

            @Override
            public byte[] write(Group group) {
                return XdmGroupDocuments.write(group);
            }
        };
    }
}
