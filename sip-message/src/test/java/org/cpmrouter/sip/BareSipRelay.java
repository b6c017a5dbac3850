package org.cpmrouter.sip;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;

/**
 * The SIP stack's own ceiling, for {@code bench/}: a bare stateful relay on the same {@link SipNode} (JAIN-SIP RI,
 * same stack settings) as the router, without Camel, rules, store or logging. A main, not a test. Each MESSAGE is
 * relayed in a new client transaction to {@code --to} and answered with the final response that comes back, as the
 * router does; {@code --mode answer} answers 200 at once instead (the server side of the stack alone).
 *
 * <pre>java -cp sip-message/target/test-classes:routes/target/lib/* org.cpmrouter.sip.BareSipRelay \
 *     [--port 5060] [--to 127.0.0.1:5070] [--mode relay|answer] [--threads 8]</pre>
 */
public final class BareSipRelay {

    private BareSipRelay() {
    }

    public static void main(String[] args) throws Exception {
        int port = 5060;
        String to = "127.0.0.1:5070";
        String mode = "relay";
        int threads = 8;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--to" -> to = args[i + 1];
                case "--mode" -> mode = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String host = to.substring(0, to.lastIndexOf(':'));
        int toPort = Integer.parseInt(to.substring(to.lastIndexOf(':') + 1));
        SipNode node = SipNode.start(new SipNodeConfig("127.0.0.1", port, List.of("udp"), Set.of("MESSAGE"),
                threads, null));
        boolean relay = mode.equals("relay");
        node.setHandler(in -> {
            if (relay) {
                forward(node, in, host, toPort);
            } else {
                in.respond(200);
            }
        });
        System.out.println("bare JAIN-SIP " + mode + " ready on 127.0.0.1:" + node.port()
                + (relay ? " -> " + to : ""));
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            forever.countDown();
        }));
        forever.await();
    }

    /** A proxy's relay: the same request with our Via on top and one hop fewer, answered with its outcome. */
    private static void forward(SipNode node, IncomingRequest in, String host, int port) {
        try {
            Request out = (Request) in.request().clone();
            out.addFirst(node.newVia("udp"));
            MaxForwardsHeader mf = (MaxForwardsHeader) out.getHeader(MaxForwardsHeader.NAME);
            if (mf != null) {
                mf.decrementMaxForwards();
            }
            node.send(out, SipNode.hop(host, port, "udp")).whenComplete((response, error) -> {
                if (error != null) {
                    in.respond(500);
                } else {
                    in.respond(response.getStatusCode(), response.getReasonPhrase(), List.of());
                }
            });
        } catch (Exception e) {
            System.err.println("bare relay: cannot relay callId=" + in.callId() + ": " + e);
            in.respond(500);
        }
    }
}
