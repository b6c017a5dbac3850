package org.cpmrouter.client;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The reply to the last message a {@code cpm-client listen} received, kept in a small file per user
 * ({@code STATE_DIR/USER.last}) for {@code cpm-client reply} in another terminal: whom to answer, the conversation,
 * and the Non-CPM Communication Service Identifier the message arrived with. Never a text.
 */
final class LastReceived {

    /** Prefix of the keys that hold the reply's extra SIP headers (the service identifier). */
    private static final String HEADER = "header.";

    private LastReceived() {
    }

    /** The state file of one user's client. */
    static Path file(Path stateDir, String identity) {
        return stateDir.resolve(identity.replaceAll("[^A-Za-z0-9@._+-]", "_") + ".last");
    }

    /**
     * Records the reply to the message just received ({@link OutgoingMessage#replyTo}, its text left empty);
     * replaces the file atomically.
     */
    static void save(Path file, OutgoingMessage reply) throws IOException {
        Properties p = new Properties();
        p.setProperty("reply-to", reply.target());
        put(p, "conversation-id", reply.conversationId());
        put(p, "in-reply-to-contribution-id", reply.inReplyToContributionId());
        reply.extraHeaders().forEach((name, value) -> p.setProperty(HEADER + name, value));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "reply to the last message cpm-client listen received; read by cpm-client reply");
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The recorded reply, with its text.
     *
     * @throws IllegalStateException when nothing was received yet
     */
    static OutgoingMessage reply(Path file, String text) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("nothing to reply to: no message received yet (" + file
                    + " is missing; run cpm-client listen first)");
        }
        String target = p.getProperty("reply-to");
        if (target == null || target.isBlank()) {
            throw new IllegalStateException("nothing to reply to: " + file + " names no sender");
        }
        Map<String, String> extra = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(HEADER)) {
                extra.put(key.substring(HEADER.length()), p.getProperty(key));
            }
        }
        return new OutgoingMessage(target, text, p.getProperty("conversation-id"),
                p.getProperty("in-reply-to-contribution-id"), extra);
    }

    private static void put(Properties p, String key, String value) {
        if (value != null) {
            p.setProperty(key, value);
        }
    }
}
