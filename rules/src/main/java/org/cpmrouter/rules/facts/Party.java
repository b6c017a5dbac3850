package org.cpmrouter.rules.facts;

/** Which side of the message a {@link KnownSubscriber} fact describes. */
public enum Party {
    SENDER,
    TARGET
}
