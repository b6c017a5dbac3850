package org.cpmrouter.routes.path;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * What one more route on a message's path costs in Camel, measured in process (a test main, like
 * {@code MetricsCostBench}): chains of routes joined by {@code direct:} endpoints, each doing one trivial step, as
 * the role routes do between their own steps, with an exchange shaped like a received MESSAGE (its SIP headers,
 * a byte body, the two completions the ingress adds). The difference between a long and a short chain, per route,
 * is what merging two routes into one saves: the direct producer, the route's unit-of-work and in-flight
 * bookkeeping, the copy of the completions Camel makes at each route entry. CPU time of the sending thread. Run:
 * <pre>
 * mvn -q -DskipTests package && mvn -o -q -pl routes -am test-compile
 * java -cp "routes/target/test-classes:routes/target/classes:routes/target/lib/*" \
 *     org.cpmrouter.routes.path.CamelHopCostBench [MESSAGES]
 * </pre>
 */
public final class CamelHopCostBench {

    private static final int LONG_CHAIN = 10;
    private static final int SHORT_CHAIN = 2;
    private static final String[] SIP_HEADERS = {"Via", "From", "To", "Call-ID", "CSeq", "Max-Forwards",
        "Content-Type", "Content-Length", "P-Asserted-Identity", "P-Served-User", "Contact", "User-Agent",
        "Accept-Contact", "Conversation-ID", "Contribution-ID", "CamelSipMethod", "CamelSipRequestUri",
        "CamelSipRemoteAddress"};

    private CamelHopCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(chain(LONG_CHAIN));
            camel.addRoutes(chain(SHORT_CHAIN));
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            run(template, LONG_CHAIN, messages); // warm-up: the JIT compiles both paths
            run(template, SHORT_CHAIN, messages);
            for (int round = 1; round <= 3; round++) {
                long longStart = cpu.getCurrentThreadCpuTime();
                run(template, LONG_CHAIN, messages);
                long longNanos = cpu.getCurrentThreadCpuTime() - longStart;
                long shortStart = cpu.getCurrentThreadCpuTime();
                run(template, SHORT_CHAIN, messages);
                long shortNanos = cpu.getCurrentThreadCpuTime() - shortStart;
                System.out.printf("round %d: %d routes %.0f ns, %d routes %.0f ns per message: %.0f ns per route%n",
                        round, LONG_CHAIN, (double) longNanos / messages, SHORT_CHAIN,
                        (double) shortNanos / messages,
                        (double) (longNanos - shortNanos) / messages / (LONG_CHAIN - SHORT_CHAIN));
            }
        }
    }

    /** {@code length} routes, {@code direct:c<length>-0} to {@code direct:c<length>-<length - 1>}. */
    private static RouteBuilder chain(int length) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < length; i++) {
                    var route = from("direct:c" + length + "-" + i).routeId("c" + length + "-" + i);
                    if (i == 0) {
                        route.process(e -> e.getExchangeExtension().addOnCompletion(new SynchronizationAdapter()))
                                .process(e -> e.getExchangeExtension().addOnCompletion(new SynchronizationAdapter()));
                    }
                    route.process(e -> e.getMessage().setHeader("step", e.getMessage().getHeader("Call-ID")));
                    if (i + 1 < length) {
                        route.to("direct:c" + length + "-" + (i + 1));
                    } else {
                        route.process(e -> e.getMessage().setHeader("CamelSipStatusCode", 200));
                    }
                }
            }
        };
    }

    private static void run(ProducerTemplate template, int length, int messages) {
        String start = "direct:c" + length + "-0";
        byte[] body = new byte[120];
        for (int i = 0; i < messages; i++) {
            template.send(start, (Exchange exchange) -> {
                for (String name : SIP_HEADERS) {
                    exchange.getMessage().setHeader(name, name);
                }
                exchange.getMessage().setBody(body);
            });
        }
    }
}
