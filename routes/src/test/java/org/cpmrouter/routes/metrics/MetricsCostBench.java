package org.cpmrouter.routes.metrics;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.cpmrouter.rules.facts.Stage;

/**
 * What the meters cost one MESSAGE, measured in process (a test main, like {@code RuleDecisionBench}): the calls
 * that alice's MESSAGE to bob makes on {@link RouterMetrics}, on the real registry, timed over millions of messages
 * after a warm-up, on one thread. Run:
 * <pre>
 * mvn -q -DskipTests package && mvn -o -q -pl routes -am test-compile
 * java -cp "routes/target/test-classes:routes/target/classes:routes/target/lib/*" \
 *     org.cpmrouter.routes.metrics.MetricsCostBench [MESSAGES]
 * </pre>
 */
public final class MetricsCostBench {

    private MetricsCostBench() {
    }

    public static void main(String[] args) {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        try (RouterMetrics metrics = new RouterMetrics().withJvmMetrics()) {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            run(metrics, exchange, messages); // warm-up: the JIT compiles the path
            for (int round = 1; round <= 3; round++) {
                long started = System.nanoTime();
                run(metrics, exchange, messages);
                long nanos = System.nanoTime() - started;
                System.out.printf("round %d: %d messages, %.1f ns per message%n", round, messages,
                        (double) nanos / messages);
            }
        }
    }

    /** One message alice to bob as the router counts it: received, decided four times, relayed, answered. */
    private static void run(RouterMetrics metrics, Exchange exchange, int messages) {
        for (int i = 0; i < messages; i++) {
            metrics.requestReceived("MESSAGE");
            metrics.serverTransactionStarted();
            metrics.decided(Stage.ORIGINATING_AUTHORIZATION, 21_000 + (i & 1023));
            metrics.decided(Stage.ADDRESS_ROUTING, 35_000 + (i & 1023));
            metrics.decided(Stage.TERMINATING_AUTHORIZATION, 18_000 + (i & 1023));
            metrics.decided(Stage.RECIPIENT_DELIVERY, 15_000 + (i & 1023));
            metrics.clientTransactionStarted();
            metrics.clientTransactionEnded();
            metrics.responseSent(200);
            metrics.serverTransactionEnded();
            metrics.messageAnswered(exchange, 200);
        }
    }
}
