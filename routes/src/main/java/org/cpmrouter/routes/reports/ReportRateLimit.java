package org.cpmrouter.routes.reports;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The guard against report storms and loops: at most {@code perSecond} reports to one sender in any one second of
 * the clock (a fixed window per sender), and one report per message, recipient and status while it is among the
 * last {@value #REMEMBERED} reported. Thread-safe.
 */
final class ReportRateLimit {

    /** Reports remembered for the one-per-event check. */
    static final int REMEMBERED = 10_000;

    private final int perSecond;
    private final Clock clock;
    private final Map<String, long[]> windows = new LinkedHashMap<>(); // sender -> {second, count}
    private final Map<String, Boolean> reported = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    ReportRateLimit(int perSecond, Clock clock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("cpm.reports.max-per-sender-per-second must be at least 1, got "
                    + perSecond);
        }
        this.perSecond = perSecond;
        this.clock = clock;
    }

    int perSecond() {
        return perSecond;
    }

    /** Why this report may not go out now, or null when it may (it then counts). */
    synchronized String refusal(String sender, String event) {
        if (reported.containsKey(event)) {
            return "already reported";
        }
        long second = clock.millis() / 1000;
        if (windows.size() > REMEMBERED) {
            windows.values().removeIf(w -> w[0] != second);
        }
        long[] window = windows.computeIfAbsent(sender, s -> new long[] {second, 0});
        if (window[0] != second) {
            window[0] = second;
            window[1] = 0;
        }
        if (window[1] >= perSecond) {
            return "rate limit: " + perSecond + " reports per second to one sender";
        }
        window[1]++;
        reported.put(event, Boolean.TRUE);
        return null;
    }
}
