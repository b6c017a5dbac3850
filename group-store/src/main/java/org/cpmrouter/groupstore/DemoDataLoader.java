package org.cpmrouter.groupstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds empty stores on first start: subscribers from a CSV file ({@link SubscriberCsv}: each non-blank,
 * non-{@code #} line is {@code public identity, tel aliases separated by spaces (may be empty), cpm enabled,
 * barred[, password]}) and Pre-defined Groups from a folder of OMA XDM group documents ({@link XdmGroupDocuments}).
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
     * @throws SubscriberCsv.InvalidCsvException if a line is malformed or repeats an identity (one line per
     *                                  problem, {@code file:line: message}); nothing is saved then
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

    /** Parses the whole file ({@link SubscriberCsv}), hashing the passwords it gives. */
    static List<Subscriber> parse(Path csvFile, String realm) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csvFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read subscriber CSV " + csvFile, e);
        }
        List<Subscriber> result = new ArrayList<>();
        for (SubscriberCsv.Row row : SubscriberCsv.parse(lines, csvFile.toString())) {
            Subscriber subscriber = row.subscriber();
            result.add(row.password() == null ? subscriber
                    : subscriber.withCredentials(SubscriberCsv.credentials(subscriber, row.password(), realm)));
        }
        return result;
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
