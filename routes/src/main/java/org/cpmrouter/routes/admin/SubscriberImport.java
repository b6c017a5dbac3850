package org.cpmrouter.routes.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.cpmrouter.groupstore.DigestCredentials;
import org.cpmrouter.groupstore.Subscriber;
import org.cpmrouter.groupstore.SubscriberCsv;
import org.cpmrouter.groupstore.SubscriberStore;

/**
 * An import of subscriber CSV lines ({@code cpm-admin subscribers import}): planned against the store as it is, so
 * that every conflict is found, with its line, before anything changes; then applied as a whole. A line creates the
 * subscriber or replaces its aliases and flags; its password, when it has one, is hashed, otherwise the subscriber
 * keeps the password it has. Identities may move between subscribers of the file (an alias from bob to carol):
 * the subscribers first give up what they lose, then take what they gain. If the store refuses a save all the same
 * (a change made meanwhile through another node), what was saved is put back.
 */
final class SubscriberImport {

    /** How a digest username reads among the identities a subscriber claims (no URI starts so). */
    private static final String USERNAME = "digest username ";

    /** Hashes a line's password for a subscriber that has these credentials now ({@code null}: none). */
    @FunctionalInterface
    interface Hasher {
        DigestCredentials hash(Subscriber subscriber, DigestCredentials current, String password);
    }

    record Result(int created, int updated, int passwordsSet) {
    }

    private final List<Subscriber> before; // per row: the stored subscriber, or null for a new one
    private final List<Subscriber> after;
    private final List<SubscriberCsv.Problem> problems;
    private final int passwordsSet;

    private SubscriberImport(List<Subscriber> before, List<Subscriber> after, List<SubscriberCsv.Problem> problems,
                             int passwordsSet) {
        this.before = before;
        this.after = after;
        this.problems = problems;
        this.passwordsSet = passwordsSet;
    }

    /** Checks every line against the store: each identity and digest username must end up with one subscriber. */
    static SubscriberImport plan(List<SubscriberCsv.Row> rows, List<Subscriber> stored, Hasher hasher) {
        Map<String, Subscriber> storedByUri = new HashMap<>();
        stored.forEach(s -> storedByUri.put(s.publicIdentity(), s));
        Map<String, Subscriber> outcome = new LinkedHashMap<>(storedByUri);
        Map<String, Integer> lineOf = new HashMap<>();
        List<Subscriber> before = new ArrayList<>();
        List<Subscriber> after = new ArrayList<>();
        List<SubscriberCsv.Problem> problems = new ArrayList<>();
        int passwords = 0;
        for (SubscriberCsv.Row row : rows) {
            String uri = row.subscriber().publicIdentity();
            Subscriber current = storedByUri.get(uri);
            DigestCredentials credentials = current == null ? null : current.credentials();
            if (row.password() != null) {
                try {
                    credentials = hasher.hash(row.subscriber(), credentials, row.password());
                    passwords++;
                } catch (IllegalArgumentException | GroupAdmin.Refusal e) {
                    problems.add(new SubscriberCsv.Problem(row.line(), e.getMessage()));
                }
            }
            Subscriber next = row.subscriber().withCredentials(credentials);
            before.add(current);
            after.add(next);
            outcome.put(uri, next);
            lineOf.put(uri, row.line());
        }
        Map<String, String> ownerOf = new HashMap<>();
        for (Subscriber s : outcome.values()) {
            for (String key : keys(s)) {
                String other = ownerOf.putIfAbsent(key, s.publicIdentity());
                if (other == null || other.equals(s.publicIdentity())) {
                    continue;
                }
                Integer line = lineOf.get(s.publicIdentity());
                Integer otherLine = lineOf.get(other);
                String what = key; // an identity, or "digest username alice"
                if (line != null && otherLine != null) {
                    problems.add(new SubscriberCsv.Problem(line, what + " is also " + other + "'s, on line "
                            + otherLine));
                } else if (line != null || otherLine != null) {
                    String mine = line != null ? s.publicIdentity() : other;
                    String theirs = line != null ? other : s.publicIdentity();
                    problems.add(new SubscriberCsv.Problem(line != null ? line : otherLine, what
                            + " already belongs to " + theirs + ", which this file does not change (" + mine
                            + " cannot have it)"));
                }
            }
        }
        problems.sort(Comparator.comparingInt(SubscriberCsv.Problem::line));
        return new SubscriberImport(before, after, List.copyOf(problems), passwords);
    }

    /** The identities of a subscriber and its digest username, each of which only one subscriber may have. */
    private static List<String> keys(Subscriber s) {
        List<String> keys = new ArrayList<>(s.identities());
        if (s.hasCredentials()) {
            keys.add(USERNAME + s.credentials().username());
        }
        return keys;
    }

    List<SubscriberCsv.Problem> problems() {
        return problems;
    }

    /**
     * Saves every line: first each changed subscriber without what it loses, then each as the file has it.
     *
     * @throws IllegalArgumentException when the store refuses a save; what was saved is put back first
     */
    Result apply(SubscriberStore store) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("an import with problems is not applied");
        }
        List<Integer> touched = new ArrayList<>();
        try {
            for (int i = 0; i < after.size(); i++) {
                Subscriber old = before.get(i);
                if (old != null) {
                    Subscriber kept = keeping(old, after.get(i));
                    if (!kept.equals(old)) {
                        touched.add(i);
                        store.save(kept);
                    }
                }
            }
            for (int i = 0; i < after.size(); i++) {
                if (!touched.contains(i)) {
                    touched.add(i);
                }
                store.save(after.get(i));
            }
        } catch (IllegalArgumentException e) {
            putBack(store, touched);
            throw e;
        }
        int created = (int) before.stream().filter(Objects::isNull).count();
        return new Result(created, after.size() - created, passwordsSet);
    }

    /** The stored subscriber without the identities (and the username) the new one no longer has. */
    private static Subscriber keeping(Subscriber old, Subscriber next) {
        Set<String> wanted = new HashSet<>(next.telAliases());
        List<String> aliases = old.telAliases().stream().filter(wanted::contains).toList();
        DigestCredentials credentials = old.credentials();
        if (credentials != null && (next.credentials() == null
                || !next.credentials().username().equals(credentials.username()))) {
            credentials = null;
        }
        return new Subscriber(old.publicIdentity(), aliases, old.cpmEnabled(), old.barred(), credentials);
    }

    /** Best effort: new subscribers removed, then the others given back what they had. */
    private void putBack(SubscriberStore store, List<Integer> touched) {
        for (int i : touched) {
            Subscriber old = before.get(i);
            try {
                if (old == null) {
                    store.remove(after.get(i).publicIdentity());
                } else {
                    store.save(keeping(old, after.get(i)));
                }
            } catch (IllegalArgumentException e) {
                // put back below as far as it goes
            }
        }
        for (int i : touched) {
            Subscriber old = before.get(i);
            if (old != null) {
                try {
                    store.save(old);
                } catch (IllegalArgumentException e) {
                    // another node took one of its identities meanwhile; the error the caller gets says so
                }
            }
        }
    }
}
