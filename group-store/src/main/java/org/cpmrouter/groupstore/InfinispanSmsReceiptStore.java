package org.cpmrouter.groupstore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.infinispan.Cache;

/**
 * A {@link SmsReceiptStore} over the Infinispan cache {@code sms-receipts}: one entry per part, keyed by the SMSC's
 * message id, each living until the message expires. The first part's entry holds the parts still awaited and is
 * changed by compare-and-set only, so concurrent receipts (on any node) settle a message exactly once.
 */
public final class InfinispanSmsReceiptStore implements SmsReceiptStore {

    /** Name of the cache of SMS awaiting a delivery receipt. */
    public static final String SMS_RECEIPTS_CACHE = "sms-receipts";

    private final Cache<String, SmsReceiptEntity> cache;
    private final Clock clock;

    InfinispanSmsReceiptStore(Cache<String, SmsReceiptEntity> cache, Clock clock) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void expect(AwaitedSmsReceipt awaited) {
        SmsReceiptEntity entity = SmsReceiptEntity.from(awaited);
        long lifespan = lifespan(awaited.expiresAtMillis());
        // the first part's entry last: a receipt for another part that finds it finds its siblings written
        List<String> ids = awaited.smscIds();
        for (int i = ids.size() - 1; i >= 0; i--) {
            cache.put(ids.get(i), entity, lifespan, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Optional<AwaitedSmsReceipt> settle(String smscMessageId, boolean delivered) {
        SmsReceiptEntity seen = cache.get(smscMessageId);
        if (seen == null) {
            return Optional.empty();
        }
        String first = seen.smscIds().get(0);
        if (!first.equals(smscMessageId)) {
            cache.remove(smscMessageId); // this part is answered whatever the first part's entry says
        }
        while (true) {
            SmsReceiptEntity current = cache.get(first);
            if (current == null || !current.awaited().contains(smscMessageId)) {
                return Optional.empty(); // settled, expired, or this part's receipt came before
            }
            AwaitedSmsReceipt awaited = current.toAwaited();
            if (awaited.isExpiredAt(clock.millis())) {
                forget(current);
                return Optional.empty();
            }
            List<String> left = new ArrayList<>(current.awaited());
            left.remove(smscMessageId);
            if (!delivered || left.isEmpty()) {
                if (cache.remove(first, current)) {
                    forget(current);
                    return Optional.of(awaited);
                }
            } else if (cache.replace(first, current, current.withOutstanding(left),
                    lifespan(current.expiresAtMillis()), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        }
    }

    private void forget(SmsReceiptEntity entity) {
        entity.smscIds().forEach(cache::remove);
    }

    private long lifespan(long expiresAtMillis) {
        return Math.max(1, expiresAtMillis - clock.millis());
    }
}
