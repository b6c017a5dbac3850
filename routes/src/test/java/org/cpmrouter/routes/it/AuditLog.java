package org.cpmrouter.routes.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Reads a router's decision audit file in tests. Lines reach the file at most 100 ms after the decision, and a full
 * buffer can write some lines of a message before the others, so a test waits for the very line it expects, up to a
 * few seconds, instead of reading once.
 */
final class AuditLog {

    private static final long WAIT_MILLIS = 5_000;

    private AuditLog() {
    }

    /** The lines of {@code file} that match, once at least one does; an AssertionError after the wait. */
    static List<String> awaitLines(Path file, Predicate<String> match) throws Exception {
        try {
            return Awaitility.await().atMost(Duration.ofMillis(WAIT_MILLIS)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> matching(file, match), lines -> !lines.isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no audit line in " + file + " within " + WAIT_MILLIS + " ms", e);
        }
    }

    private static List<String> matching(Path file, Predicate<String> match) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(match).toList() : List.of();
    }
}
