package org.cpmrouter.groupstore;

import java.util.OptionalInt;

/**
 * An OMA XDM group document that cannot be imported: not well-formed, forbidden (DTD, entities) or not a group
 * this router can represent. The message names the source, the line when the XML parser reports one, and the fault.
 */
public final class XdmDocumentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final int line;
    private final String problem;

    XdmDocumentException(String sourceName, int line, String problem, Throwable cause) {
        super("group document " + sourceName + (line > 0 ? " line " + line : "") + ": " + problem, cause);
        this.sourceName = sourceName;
        this.line = line;
        this.problem = problem;
    }

    XdmDocumentException(String sourceName, String problem) {
        this(sourceName, -1, problem, null);
    }

    /** The document's name as given to the parser (a file path, an XCAP URI). */
    public String sourceName() {
        return sourceName;
    }

    /** The line of the fault when the XML parser reported one. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** What is wrong, without the source and line. */
    public String problem() {
        return problem;
    }
}
