package org.cpmrouter.rules;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found while compiling the operator's rule files, shown as one line, {@code file:line: message}
 * (or {@code file: message} when the line is not known), the form editors and CI logs link to.
 *
 * @param file    the operator's file name, e.g. {@code authorization.drl} (empty when not tied to a file)
 * @param line    1-based line in that file, 0 when unknown
 * @param message what is wrong, on one line: line breaks in it become spaces
 */
public record RuleProblem(String file, int line, String message) {

    public RuleProblem {
        Objects.requireNonNull(file, "file");
        message = message == null ? "" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** {@code file:line: message}, the file as named (relative to the rules directory). */
    @Override
    public String toString() {
        return place(file) + message;
    }

    /** {@code /path/to/rules/file:line: message}: the file resolved in the rules directory it was read from. */
    public String describeIn(Path rulesDirectory) {
        return place(file.isEmpty() ? rulesDirectory.toString() : rulesDirectory.resolve(file).toString()) + message;
    }

    private String place(String where) {
        return where + (line > 0 ? ":" + line : "") + ": ";
    }
}
