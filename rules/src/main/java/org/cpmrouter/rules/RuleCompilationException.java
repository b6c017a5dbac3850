package org.cpmrouter.rules;

import java.util.List;
import java.util.stream.Collectors;

/** The rule files could not be turned into a usable rule set; {@link #problems()} says where and why. */
public class RuleCompilationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<RuleProblem> problems;

    public RuleCompilationException(List<RuleProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }

    private static String format(List<RuleProblem> problems) {
        return problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n"));
    }
}
