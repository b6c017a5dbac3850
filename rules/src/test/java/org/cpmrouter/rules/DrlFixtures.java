package org.cpmrouter.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared {@code .drl} test fixtures in {@code src/test/resources/drl/}, each named for what it is
 * ({@code minimal-permit.drl}, {@code broken-consequence.drl}, ...), so a test reads a named file instead of
 * carrying rule text in a Java string.
 */
final class DrlFixtures {

    private static final String FOLDER = "/drl/";

    private DrlFixtures() {
    }

    /** The text of fixture {@code name}. */
    static String text(String name) {
        try (InputStream in = DrlFixtures.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test fixture " + FOLDER + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of fixture {@code name}. */
    static List<String> lines(String name) {
        return text(name).lines().toList();
    }

    /** Writes fixture {@code name} into {@code dir} under its own name; returns the written file. */
    static Path copy(String name, Path dir) {
        return copy(name, dir, name);
    }

    /** Writes fixture {@code name} into {@code dir} as {@code fileName}; returns the written file. */
    static Path copy(String name, Path dir, String fileName) {
        try {
            return Files.writeString(dir.resolve(fileName), text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-based number of the first line of fixture {@code name} that equals {@code line}. */
    static int lineOf(String name, String line) {
        int index = lines(name).indexOf(line);
        if (index < 0) {
            throw new IllegalArgumentException(name + " has no line " + line);
        }
        return index + 1;
    }
}
