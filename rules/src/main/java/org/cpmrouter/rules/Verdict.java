package org.cpmrouter.rules;

/** Outcome of a policy decision. */
public enum Verdict {
    PERMIT,
    DENY
}
