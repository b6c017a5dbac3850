package org.cpmrouter.sip.camel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sip.address.URI;
import javax.sip.message.Request;

import gov.nist.javax.sip.message.SIPRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.cpmrouter.sip.ReceivedRequests;
import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.SipNodeConfig;

/**
 * CPU cost of relaying one pager-mode CPM MESSAGE through the binding, without sockets: a main for {@code bench/},
 * not a test. Per message, on one thread: parse the datagram (the node's screening parser), {@code toCamel}, the
 * header edits a relaying route makes (P-Asserted-Identity set, the leg marker set, the Request-URI retargeted,
 * P-Preferred-Identity removed), the Request-URI parse the producer does for its next hop, {@code toRequest}, and the
 * encoding to bytes. Also the branch a client transaction gets. Prints the thread's CPU microseconds per operation,
 * best and median of the repetitions.
 *
 * <pre>java -cp sip-message/target/test-classes:sip-message/target/classes:$(cat /tmp/sip.cp) \
 *     org.cpmrouter.sip.camel.RelayPathBench [N] [REPETITIONS]</pre>
 */
public final class RelayPathBench {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final String TARGET = "sip:+15551230002@127.0.0.1:5090;transport=udp";

    private RelayPathBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        SipNode node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"),
                2, null));
        CamelContext context = new DefaultCamelContext();
        try {
            byte[] datagram = datagram(node.port());
            check(node, context, datagram);
            for (int warm = 0; warm < 3; warm++) {
                relay(node, context, datagram, n / 2);
                branches(n);
            }
            System.out.println("relay path cost, " + n + " messages a repetition, " + repetitions
                    + " repetitions, one thread, datagram " + datagram.length + " bytes");
            print("parse+toCamel+edits+toRequest+encode", sample(repetitions, n, () -> relay(node, context, datagram, n)));
            print("client transaction branch", sample(repetitions, n, () -> branches(n)));
        } finally {
            context.close();
            node.close();
        }
        System.exit(0); // the stack leaves a thread that is not a daemon
    }

    /** A CPM pager-mode MESSAGE as a client sends it through the core (wire-format.md, example A). */
    static byte[] datagram(int routerPort) {
        return datagramText(routerPort).getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #datagram} as text. */
    static String datagramText(int routerPort) {
        String body = "From: <sip:+15551230001@ims.example.com>\r\n"
                + "To: <tel:+15551230002>\r\n"
                + "DateTime: 2024-05-01T10:00:00.000Z\r\n"
                + "NS: imdn <urn:ietf:params:imdn>\r\n"
                + "imdn.Message-ID: 0a76cec9-c5f4-4f1d-a502-8518a57bf8be\r\n"
                + "imdn.Disposition-Notification: positive-delivery, display\r\n"
                + "NS: cpm <http://www.openmobilealliance.org/cpm/>\r\n"
                + "cpm.Payload-Type: text/plain\r\n"
                + "\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n"
                + "Content-Length: 26\r\n"
                + "\r\n"
                + "Hello from the relay bench";
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        String head = "MESSAGE tel:+15551230002 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-a1b2c3d4e5f6;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "Route: <sip:127.0.0.1:" + routerPort + ";lr>\r\n"
                + "From: <sip:+15551230001@ims.example.com>;tag=f1a2b3\r\n"
                + "To: <tel:+15551230002>\r\n"
                + "Call-ID: 7d2a1c9e-0001-4a5b-9c8d-3e2f1a0b9c8d\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Contact: <sip:+15551230001@127.0.0.1:5099>;+sip.instance=\"<urn:gsma:imei:35123456-789012-0>\"\r\n"
                + "P-Preferred-Identity: <sip:+15551230001@ims.example.com>\r\n"
                + "P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg\r\n"
                + "Accept-Contact: *;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg\"\r\n"
                + "Conversation-ID: 4f93f0fe-86d6-462c-9ba2-e4bc3d1cafcc\r\n"
                + "Contribution-ID: 94d850fb-ed40-437e-9609-de9ea0e393d9\r\n"
                + "Request-Disposition: no-fork\r\n"
                + "Content-Type: message/cpim\r\n"
                + "Content-Length: " + length + "\r\n"
                + "\r\n";
        return head + body;
    }

    /** The edits of a relaying route between the consumer and the producer. */
    static void routeEdits(Message message) {
        message.setHeader("P-Asserted-Identity", "<sip:+15551230001@ims.example.com>");
        message.setHeader("P-CPM-Served-Leg", "orig");
        message.removeHeader("P-Preferred-Identity");
        message.setHeader(SipMessageConstants.REQUEST_URI, TARGET);
    }

    /** One relayed message: the bytes that go out. */
    static byte[] relayOne(SipNode node, CamelContext context, byte[] datagram) throws Exception {
        Request received = ReceivedRequests.parse(datagram);
        Exchange exchange = new DefaultExchange(context);
        SipMessageBinding.toCamel(ReceivedRequests.incoming(node, received, 5099), exchange.getMessage());
        routeEdits(exchange.getMessage());
        // the producer's next hop: the Request-URI, parsed
        URI target = node.addressFactory().createURI(
                exchange.getMessage().getHeader(SipMessageConstants.REQUEST_URI, String.class));
        Request out = SipMessageBinding.toRequest(exchange.getMessage(), node, "udp", target);
        return ((SIPRequest) out).encodeAsBytes("udp");
    }

    private static long relay(SipNode node, CamelContext context, byte[] datagram, int count) throws Exception {
        long sink = 0;
        for (int i = 0; i < count; i++) {
            sink += relayOne(node, context, datagram).length;
        }
        return sink;
    }

    private static long branches(int count) {
        long sink = 0;
        for (int i = 0; i < count; i++) {
            // the branches a new client transaction costs: ours, which SipNode.send puts in the Via (the provider
            // keeps it), and the one the RI's transaction constructor digests and then forgets
            sink += SipNode.newBranch().length();
            sink += gov.nist.javax.sip.Utils.getInstance().generateBranchId().length();
        }
        return sink;
    }

    /** Shows the relayed request once, so a change of what goes on the wire is seen. */
    private static void check(SipNode node, CamelContext context, byte[] datagram) throws Exception {
        System.out.println(new String(relayOne(node, context, datagram), StandardCharsets.UTF_8));
    }

    @FunctionalInterface
    private interface Work {
        long run() throws Exception;
    }

    /** CPU microseconds per operation of each repetition, sorted. */
    private static double[] sample(int repetitions, int n, Work work) throws Exception {
        double[] us = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = CPU.getCurrentThreadCpuTime();
            long sink = work.run();
            long spent = CPU.getCurrentThreadCpuTime() - start;
            if (sink == 42) {
                System.out.print("");
            }
            us[r] = spent / 1000.0 / n;
        }
        Arrays.sort(us);
        return us;
    }

    private static void print(String what, double[] us) {
        System.out.println(String.format(Locale.ROOT, "relay_path_us\t%s\tbest %.2f\tmedian %.2f", what,
                us[0], us[us.length / 2]));
    }
}
