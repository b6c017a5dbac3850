package org.cpmrouter.rules;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;

/**
 * An immutable, compiled set of policy rules: every {@code *.drl} file of one directory, as read at
 * compile time. Create with {@link RuleCompiler#compile(Path)}. Thread-safe; each decision borrows a session from a
 * pool and gives it back reset, because building a session per decision was the larger part of a decision's cost.
 */
public final class RuleSet {

    private static final int SESSIONS_AT_START = 4;

    private final Path directory;
    private final List<String> files;
    private final String hash;
    private final List<String> ruleIds;
    private final Map<String, String> ruleIdsByName;
    private final KieBase kieBase;
    private final KieSessionsPool sessions;

    RuleSet(Path directory, List<String> files, String hash, List<String> ruleIds,
            Map<String, String> ruleIdsByName, KieBase kieBase) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.files = List.copyOf(files);
        this.hash = Objects.requireNonNull(hash, "hash");
        this.ruleIds = List.copyOf(ruleIds);
        this.ruleIdsByName = Map.copyOf(ruleIdsByName);
        this.kieBase = Objects.requireNonNull(kieBase, "kieBase");
        // grows on demand: as many sessions as decisions run at once (the SIP stack's threads)
        this.sessions = kieBase.newKieSessionsPool(SESSIONS_AT_START);
    }

    /** First 12 hex characters of SHA-256 over the files sorted by name (name, NUL, bytes for each file). */
    public String hash() {
        return hash;
    }

    /** The {@code @id} of every rule, sorted. */
    public List<String> ruleIds() {
        return ruleIds;
    }

    /** The directory the rule files were read from. */
    public Path directory() {
        return directory;
    }

    /** Names of the rule files that were compiled, sorted. */
    public List<String> files() {
        return files;
    }

    KieBase kieBase() {
        return kieBase;
    }

    /** An empty session for one decision; {@link KieSession#dispose()} resets it and returns it to the pool. */
    KieSession borrowSession() {
        return sessions.newKieSession();
    }

    /** The {@code @id} of the rule with this (unqualified) name, or {@code null}. */
    String ruleIdForName(String ruleName) {
        return ruleIdsByName.get(ruleName);
    }

    @Override
    public String toString() {
        return "RuleSet[hash=" + hash + ", directory=" + directory + ", files=" + files + ", rules=" + ruleIds.size() + "]";
    }
}
