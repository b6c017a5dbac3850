package org.cpmrouter.groupstore;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A {@link SmsReceiptStore} in memory: nothing survives the process (tests, and routers without a store). */
public final class InMemorySmsReceiptStore implements SmsReceiptStore {

    private final Clock clock;
    /** Every part's SMSC id to its message's state; all parts of one message share one state. */
    private final Map<String, Awaiting> byPart = new HashMap<>();

    public InMemorySmsReceiptStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private record Awaiting(AwaitedSmsReceipt awaited, Set<String> outstanding) {
    }

    @Override
    public synchronized void expect(AwaitedSmsReceipt awaited) {
        Awaiting state = new Awaiting(awaited, new LinkedHashSet<>(awaited.smscIds()));
        awaited.smscIds().forEach(id -> byPart.put(id, state));
    }

    @Override
    public synchronized Optional<AwaitedSmsReceipt> settle(String smscMessageId, boolean delivered) {
        Awaiting state = byPart.remove(smscMessageId);
        if (state == null || !state.outstanding().remove(smscMessageId)) {
            return Optional.empty();
        }
        if (state.awaited().isExpiredAt(clock.millis())) {
            state.awaited().smscIds().forEach(byPart::remove);
            return Optional.empty();
        }
        if (delivered && !state.outstanding().isEmpty()) {
            return Optional.empty();
        }
        state.awaited().smscIds().forEach(byPart::remove);
        state.outstanding().clear();
        return Optional.of(state.awaited());
    }
}
