package org.cpmrouter.rules;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled rule sets kept on disk, so that a router restarted with the rule files it ran before loads their compiled
 * classes (about 0.5 s) instead of compiling them again (about 4 s, the longest step before the ready line).
 *
 * <p>A compile is found only by its key: a digest of every rule file's name and bytes and of the router's class
 * path (each jar's name, size and modification time), so new rule text, a new router release or another Drools
 * gives another key and a fresh compile; nothing else is compared. A file that cannot be read or loaded is reported
 * and compiled again. Files are written whole (a temporary file moved into place); the newest {@value #KEPT} stay.
 *
 * <p>What is kept is code the router loads: the directory belongs to the router, like its data directory, and only
 * the router writes it.
 */
final class CompiledRulesCache {

    static final int KEPT = 4;
    private static final String PREFIX = "rules-";
    private static final String SUFFIX = ".kjar";
    /** Changes when what is stored, or how the key is made, changes. */
    private static final String FORMAT = "cpm-compiled-rules-1";

    private static final Logger LOG = LoggerFactory.getLogger(CompiledRulesCache.class);

    private final Path dir;

    CompiledRulesCache(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path directory() {
        return dir;
    }

    /** The key of a compile of {@code sources} (file name to bytes, sorted) by this router. */
    static String key(Map<String, byte[]> sources) {
        MessageDigest digest = sha256();
        update(digest, FORMAT);
        update(digest, ClassPathFingerprint.VALUE);
        sources.forEach((name, bytes) -> {
            update(digest, name);
            update(digest, Integer.toString(bytes.length));
            digest.update(bytes);
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The compiled rule set stored under {@code key}, or {@code null} when there is none or it cannot be read. */
    byte[] read(String key) {
        Path file = fileOf(key);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.warn("compiled rules {} cannot be read ({}); compiling the rule files again", file, e.toString());
            return null;
        }
    }

    /** Stores {@code kjar} under {@code key}; a failure is logged and only costs the next start a compile. */
    void write(String key, byte[] kjar) {
        try {
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, PREFIX, ".tmp");
            try {
                Files.write(temporary, kjar);
                move(temporary, fileOf(key));
            } finally {
                Files.deleteIfExists(temporary);
            }
            prune();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("compiled rules cannot be kept in {} ({}); the next start compiles the rule files again", dir,
                    e.toString());
        }
    }

    /** A stored compile that did not load is removed, so that the compile that replaces it is the one kept. */
    void forget(String key) {
        try {
            Files.deleteIfExists(fileOf(key));
        } catch (IOException e) {
            LOG.warn("compiled rules {} cannot be removed ({})", fileOf(key), e.toString());
        }
    }

    private Path fileOf(String key) {
        return dir.resolve(PREFIX + key + SUFFIX);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Keeps the {@value #KEPT} most recently written compiles. */
    private void prune() throws IOException {
        List<Path> stored;
        try (Stream<Path> files = Files.list(dir)) {
            stored = files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
            }).sorted(Comparator.comparing(CompiledRulesCache::modified).reversed()).toList();
        }
        for (Path old : stored.subList(Math.min(KEPT, stored.size()), stored.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0; // gone meanwhile: first to go
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    /**
     * The router's class path as a compiled rule set depends on it: each entry's name, size and modification time,
     * the files inside a directory entry (a development build) the same way. Computed once per process.
     */
    private static final class ClassPathFingerprint {
        static final String VALUE = compute();

        private static String compute() {
            MessageDigest digest = sha256();
            update(digest, System.getProperty("java.class.path", ""));
            for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    try (Stream<Path> files = Files.walk(path)) {
                        files.filter(Files::isRegularFile).sorted().forEach(f -> describe(digest, f));
                    } catch (IOException | UncheckedIOException e) {
                        update(digest, "unreadable " + entry + " " + System.nanoTime()); // no key will match
                    }
                } else {
                    describe(digest, path);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        }

        private static void describe(MessageDigest digest, Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                update(digest, file + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis());
            } catch (IOException e) {
                update(digest, file + " absent");
            }
        }
    }
}
