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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds an empty {@link SubscriberStore} from a CSV file on first start. Each non-blank, non-{@code #} line is
 * {@code public identity, tel aliases separated by spaces (may be empty), cpm enabled, barred}.
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
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(csvFile, "csvFile");
        if (store.count() > 0) {
            LOG.info("Subscriber store not empty ({} subscribers), demo data {} not loaded", store.count(), csvFile);
            return 0;
        }
        List<Subscriber> subscribers = parse(csvFile);
        for (Subscriber subscriber : subscribers) {
            store.save(subscriber);
        }
        LOG.info("Loaded {} demo subscribers from {}", subscribers.size(), csvFile);
        return subscribers.size();
    }

    /** Parses the whole file, failing on the first malformed line. */
    static List<Subscriber> parse(Path csvFile) {
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
            Subscriber subscriber = parseLine(line, csvFile, lineNumber);
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

    private static Subscriber parseLine(String line, Path file, int lineNumber) {
        String[] fields = line.split(",", -1);
        if (fields.length != 4) {
            throw malformed(file, lineNumber, "expected 4 comma-separated fields but found " + fields.length);
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
            return new Subscriber(publicIdentity, aliases, cpmEnabled, barred);
        } catch (IllegalArgumentException e) {
            throw malformed(file, lineNumber, e.getMessage());
        }
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
}
