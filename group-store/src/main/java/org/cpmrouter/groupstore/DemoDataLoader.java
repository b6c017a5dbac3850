package org.cpmrouter.groupstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds empty stores on first start: subscribers from a CSV file (each non-blank, non-{@code #} line is
 * {@code public identity, tel aliases separated by spaces (may be empty), cpm enabled, barred[, password]}) and
 * Pre-defined Groups from a folder of OMA XDM group documents ({@link XdmGroupDocuments}).
 *
 * <p>The optional fifth field is a demo password in plain text (allowed in the demo data file only): it is hashed
 * into {@link DigestCredentials} on load, for the digest username that is the user part of the public identity,
 * and never stored as it is. A line with four fields (the format before credentials) loads a subscriber without
 * credentials, who cannot authenticate until an operator sets a password.
 */
public final class DemoDataLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DemoDataLoader.class);

    private DemoDataLoader() {
    }

    /**
     * Loads the subscribers of {@code csvFile} into {@code store} if, and only if, the store is empty.
     * The whole file is parsed before anything is saved.
     *
     * @return how many subscribers were saved (0 if the store was not empty)
     * @throws IllegalArgumentException if a line is malformed or repeats an identity (message names file and line);
     *                                  nothing is saved then
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static int loadIfEmpty(SubscriberStore store, Path csvFile) {
        return loadIfEmpty(store, csvFile, null);
    }

    /**
     * As {@link #loadIfEmpty(SubscriberStore, Path)}, hashing demo passwords for the given digest realm.
     *
     * @param realm the router's realm ({@code cpm.auth.realm}); {@code null}: the host part of each public identity
     */
    public static int loadIfEmpty(SubscriberStore store, Path csvFile, String realm) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(csvFile, "csvFile");
        if (store.count() > 0) {
            LOG.info("Subscriber store not empty ({} subscribers), demo data {} not loaded", store.count(), csvFile);
            return 0;
        }
        List<Subscriber> subscribers = parse(csvFile, realm);
        for (Subscriber subscriber : subscribers) {
            store.save(subscriber);
        }
        LOG.info("Loaded {} demo subscribers from {}", subscribers.size(), csvFile);
        return subscribers.size();
    }

    /** Parses the whole file, failing on the first malformed line. */
    static List<Subscriber> parse(Path csvFile, String realm) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csvFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read subscriber CSV " + csvFile, e);
        }
        List<Subscriber> result = new ArrayList<>();
        Map<String, Integer> lineOfIdentity = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Subscriber subscriber = parseLine(line, csvFile, lineNumber, realm);
            for (String identity : subscriber.identities()) {
                Integer earlier = lineOfIdentity.putIfAbsent(identity, lineNumber);
                if (earlier != null) {
                    throw malformed(csvFile, lineNumber, "identity " + identity + " already used on line " + earlier);
                }
            }
            result.add(subscriber);
        }
        return result;
    }

    private static Subscriber parseLine(String line, Path file, int lineNumber, String realm) {
        String[] fields = line.split(",", -1);
        if (fields.length != 4 && fields.length != 5) {
            throw malformed(file, lineNumber, "expected 4 or 5 comma-separated fields but found " + fields.length);
        }
        String publicIdentity = fields[0].strip();
        if (publicIdentity.isEmpty()) {
            throw malformed(file, lineNumber, "public identity is empty");
        }
        String aliasField = fields[1].strip();
        List<String> aliases = aliasField.isEmpty() ? List.of() : Arrays.asList(aliasField.split("\\s+"));
        boolean cpmEnabled = parseBoolean(fields[2], "cpm enabled", file, lineNumber);
        boolean barred = parseBoolean(fields[3], "barred", file, lineNumber);
        try {
            Subscriber subscriber = new Subscriber(publicIdentity, aliases, cpmEnabled, barred);
            return fields.length == 5 ? withPassword(subscriber, fields[4].strip(), realm) : subscriber;
        } catch (IllegalArgumentException e) {
            throw malformed(file, lineNumber, e.getMessage());
        }
    }

    /** Hashes the demo password of a line; an empty password field means no credentials. */
    private static Subscriber withPassword(Subscriber subscriber, String password, String realm) {
        if (password.isEmpty()) {
            return subscriber;
        }
        String identity = subscriber.publicIdentity();
        String realmOfLine = realm != null ? realm : identity.substring(identity.lastIndexOf('@') + 1);
        return subscriber.withCredentials(DigestCredentials.fromPassword(
                DigestCredentials.defaultUsername(identity), realmOfLine, password));
    }

    private static boolean parseBoolean(String field, String name, Path file, int lineNumber) {
        String value = field.strip();
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw malformed(file, lineNumber, name + " must be true or false but was '" + value + "'");
    }

    private static IllegalArgumentException malformed(Path file, int lineNumber, String reason) {
        return new IllegalArgumentException("malformed subscriber CSV " + file + " line " + lineNumber + ": " + reason);
    }

    /**
     * Imports every {@code *.xml} group document of {@code dir} (sorted by file name) into {@code store} if, and only
     * if, the store is empty. All documents are parsed and checked (no two with the same group URI) before anything
     * is stored; groups are then created with {@link GroupStore#create}, so a group another node created meanwhile is
     * kept, not overwritten. A missing folder loads nothing.
     *
     * @return how many groups were created (0 if the store was not empty)
     * @throws XdmDocumentException if a document is refused (its message names the file); nothing is stored then
     * @throws UncheckedIOException if the folder or a file cannot be read
     */
    public static int loadGroupsIfEmpty(GroupStore store, Path dir) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(dir, "dir");
        long existing = store.count();
        if (existing > 0) {
            LOG.info("Group store not empty ({} groups), demo groups in {} not loaded", existing, dir);
            return 0;
        }
        if (!Files.isDirectory(dir)) {
            LOG.info("No demo group folder {}, no groups loaded", dir);
            return 0;
        }
        List<Group> groups = parseGroups(dir);
        int created = 0;
        for (Group group : groups) {
            if (store.create(group)) {
                created++;
            }
        }
        LOG.info("Loaded {} demo groups from {} ({} documents)", created, dir, groups.size());
        return created;
    }

    /** Parses every {@code *.xml} of the folder, failing on the first refused document or repeated group URI. */
    static List<Group> parseGroups(Path dir) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".xml") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list group documents in " + dir, e);
        }
        List<Group> groups = new ArrayList<>();
        Map<String, Path> fileOfGroup = new HashMap<>();
        for (Path file : files) {
            byte[] xml;
            try {
                xml = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read group document " + file, e);
            }
            Group group = XdmGroupDocuments.parse(xml, file.toString());
            Path earlier = fileOfGroup.putIfAbsent(group.uri(), file);
            if (earlier != null) {
                throw new XdmDocumentException(file.toString(), "group " + group.uri() + " is already defined in "
                        + earlier);
            }
            groups.add(group);
        }
        return groups;
    }
}
