package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The subscriber CSV of the demo data, of {@code cpm-admin subscribers import} and {@code export}: each non-blank,
 * non-{@code #} line is
 * <pre>
 * public identity, tel aliases separated by spaces (may be empty), cpm enabled, barred[, password]
 * sip:alice@cpm.example.com, tel:+15551230001, true, false, alice-demo
 * </pre>
 * The optional password is plain text in the file only: it is hashed ({@link #credentials}) and never stored as
 * it is; an export never writes one. A file is read whole and every line checked before anything is done with it,
 * so a caller can refuse the file as a whole, with every problem and its line.
 */
public final class SubscriberCsv {

    /** A public identity: {@code sip:}/{@code sips:} user@host, no parameters or headers. */
    private static final Pattern PUBLIC_IDENTITY = Pattern.compile("sips?:[^\\s<>\"@;?:,]+@[^\\s<>\"@;?,]+");
    /** A tel alias: a global number, {@code +} and 1 to 15 digits (E.164). */
    private static final Pattern TEL_ALIAS = Pattern.compile("tel:\\+[0-9]{1,15}");

    private SubscriberCsv() {
    }

    /**
     * One subscriber line.
     *
     * @param line       its 1-based line number in the file
     * @param subscriber the subscriber it describes, without credentials
     * @param password   the password the line gives, or {@code null}; never shown by {@link #toString()}
     */
    public record Row(int line, Subscriber subscriber, String password) {
        @Override
        public String toString() {
            return "Row[line=" + line + ", " + subscriber.publicIdentity() + (password == null ? "" : ", password")
                    + "]";
        }
    }

    /** What is wrong with one line. */
    public record Problem(int line, String message) {
    }

    /** The file has problems; {@link #problems()} has every one, {@link #getMessage()} them as lines. */
    public static final class InvalidCsvException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final transient List<Problem> problems;

        InvalidCsvException(String source, List<Problem> problems) {
            super(problems.stream().map(p -> source + ":" + p.line() + ": " + p.message())
                    .collect(Collectors.joining("\n")), null);
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    /**
     * Reads every line; problems of the whole file at once.
     *
     * @param source the file's name, for messages
     * @throws InvalidCsvException listing each malformed line and each identity a line repeats
     */
    public static List<Row> parse(List<String> lines, String source) {
        List<Row> rows = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> lineOfIdentity = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Row row;
            try {
                row = parseLine(line, number);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(number, e.getMessage()));
                continue;
            }
            for (String identity : row.subscriber().identities()) {
                Integer earlier = lineOfIdentity.putIfAbsent(identity, number);
                if (earlier != null) {
                    problems.add(new Problem(number, "identity " + identity + " already used on line " + earlier));
                }
            }
            rows.add(row);
        }
        if (!problems.isEmpty()) {
            throw new InvalidCsvException(source, problems);
        }
        return rows;
    }

    private static Row parseLine(String line, int number) {
        String[] fields = line.split(",", -1);
        if (fields.length != 4 && fields.length != 5) {
            throw new IllegalArgumentException("expected 4 or 5 comma-separated fields (public identity, tel aliases,"
                    + " cpm enabled, barred[, password]) but found " + fields.length);
        }
        String publicIdentity = checkPublicIdentity(fields[0].strip());
        String aliasField = fields[1].strip();
        List<String> aliases = aliasField.isEmpty() ? List.of() : Arrays.asList(aliasField.split("\\s+"));
        aliases.forEach(SubscriberCsv::checkTelAlias);
        boolean cpmEnabled = parseBoolean(fields[2], "cpm enabled");
        boolean barred = parseBoolean(fields[3], "barred");
        String password = fields.length == 5 && !fields[4].strip().isEmpty() ? fields[4].strip() : null;
        return new Row(number, new Subscriber(publicIdentity, aliases, cpmEnabled, barred), password);
    }

    /**
     * A subscriber's public identity, checked: a {@code sip:} or {@code sips:} URI with a user part (the digest
     * username) and a host, nothing else.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkPublicIdentity(String identity) {
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("the public identity is empty");
        }
        if (!PUBLIC_IDENTITY.matcher(identity).matches()) {
            throw new IllegalArgumentException("public identity '" + identity
                    + "' is not a SIP URI sip:user@domain (no parameters)");
        }
        return identity;
    }

    /**
     * A tel alias, checked: {@code tel:+} and the digits of a global number, without separators.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkTelAlias(String alias) {
        if (alias == null || !TEL_ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("tel alias '" + alias + "' is not tel:+ and 1 to 15 digits"
                    + " (e.g. tel:+15551230004)");
        }
        return alias;
    }

    private static boolean parseBoolean(String field, String name) {
        String value = field.strip().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(name + " must be true or false but was '" + field.strip() + "'");
    }

    /**
     * The digest credentials of a password for a subscriber: the user part of its public identity is the
     * username; hashed for {@code realm}, or for the host of the identity when {@code realm} is null.
     */
    public static DigestCredentials credentials(Subscriber subscriber, String password, String realm) {
        String identity = subscriber.publicIdentity();
        String realmOfLine = realm != null ? realm : identity.substring(identity.lastIndexOf('@') + 1);
        return DigestCredentials.fromPassword(DigestCredentials.defaultUsername(identity), realmOfLine, password);
    }

    /**
     * The CSV of these subscribers, in the order given, with a header saying what the columns are. The password
     * column stays empty: credentials are kept only as digests, and an import of a line without a password keeps
     * the password the subscriber has.
     */
    public static String write(List<Subscriber> subscribers) {
        StringBuilder csv = new StringBuilder()
                .append("# CPM Router subscribers: public identity, tel aliases separated by spaces, cpm enabled,"
                        + " barred, password\n")
                .append("# Passwords are never exported (only their digests are stored); on import, a line without"
                        + " one keeps the subscriber's password.\n");
        for (Subscriber s : subscribers) {
            csv.append(s.publicIdentity()).append(", ").append(String.join(" ", s.telAliases())).append(", ")
                    .append(s.cpmEnabled()).append(", ").append(s.barred()).append(",\n");
        }
        return csv.toString();
    }
}
