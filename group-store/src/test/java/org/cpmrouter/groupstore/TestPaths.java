package org.cpmrouter.groupstore;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations of the shipped configuration, relative to the module directory (Maven runs tests from there). */
final class TestPaths {

    static final Path INFINISPAN_XML = existing(Path.of("..", "config", "infinispan.xml"));
    static final Path DEMO_SUBSCRIBERS_CSV = existing(Path.of("..", "config", "demo", "subscribers.csv"));
    static final Path DEMO_GROUPS_DIR = Path.of("..", "config", "demo", "groups");
    static final Path DEMO_FAMILY_XML = existing(DEMO_GROUPS_DIR.resolve("family.xml"));
    static final Path INFINISPAN_CLUSTER_XML = existing(Path.of("..", "config", "infinispan-cluster.xml"));

    private TestPaths() {
    }

    private static Path existing(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path.toAbsolutePath() + " not found; run the tests from the group-store module");
        }
        return path;
    }
}
