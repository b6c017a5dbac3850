package org.cpmrouter.rules;

/**
 * One problem found while compiling the operator's rule files.
 *
 * @param file    the operator's file name, e.g. {@code authorization.drl} (empty when not tied to a file)
 * @param line    1-based line in that file, 0 when unknown
 * @param message what is wrong
 */
public record RuleProblem(String file, int line, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
