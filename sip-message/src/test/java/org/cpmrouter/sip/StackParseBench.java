package org.cpmrouter.sip;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.StringMsgParser;

/**
 * What the node's parsing of one received datagram costs, for {@code bench/}: CPU nanoseconds per parse of the
 * bench's MESSAGE and of bob's 200 by the stack's own parser alone and by the {@link RequestScreeningParser} the
 * node uses (screening plus the stack's parser), measured by the thread's CPU time, one thread. A main, not a test.
 *
 * <pre>java -cp sip-message/target/test-classes:routes/target/lib/* org.cpmrouter.sip.StackParseBench [ROUNDS]</pre>
 */
public final class StackParseBench {

    static final byte[] MESSAGE = ("MESSAGE sip:bob@127.0.0.1:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4268-1-0\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@127.0.0.1:5061>;tag=4268SIPpTag001\r\n"
            + "To: <sip:bob@127.0.0.1:5060>\r\n"
            + "Call-ID: 1-4268@127.0.0.1\r\n"
            + "CSeq: 1 MESSAGE\r\n"
            + "Accept-Contact: *;+g.oma.sip-im\r\n"
            + "P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg\r\n"
            + "Content-Type: message/cpim\r\n"
            + "Content-Length: 247\r\n"
            + "\r\n"
            + "From: <sip:alice@example.com>\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "DateTime: 2024-01-01T00:00:00.000Z\r\n"
            + "NS: imdn <urn:ietf:params:imdn>\r\n"
            + "imdn.Message-ID: m1x4268\r\n"
            + "imdn.Disposition-Notification: positive-delivery\r\n"
            + "\r\n"
            + "Content-Type: text/plain;charset=UTF-8\r\n"
            + "Content-Length: 22\r\n"
            + "\r\n"
            + "Hello from SIPp UAC!!!").getBytes(StandardCharsets.ISO_8859_1);

    static final byte[] OK = ("SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-524287-1---0123456789abcdef0123456789abcdef;rport=5060\r\n"
            + "From: <sip:alice@127.0.0.1:5061>;tag=4268SIPpTag001\r\n"
            + "To: <sip:bob@127.0.0.1:5060>;tag=7007SIPpTag011\r\n"
            + "Call-ID: 1-4268@127.0.0.1\r\n"
            + "CSeq: 1 MESSAGE\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private StackParseBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        MessageParser stack = new StringMsgParser();
        MessageParser screening = new RequestScreeningParser(8192);
        for (int pass = 0; pass < 3; pass++) {
            report("stack parser, MESSAGE", stack, MESSAGE, rounds);
            report("screening parser, MESSAGE", screening, MESSAGE, rounds);
            report("stack parser, 200", stack, OK, rounds);
            report("screening parser, 200", screening, OK, rounds);
            reportRawHead(rounds);
        }
    }

    /** What an early refusal (overload, banned source) reads of the request before it answers from the bytes. */
    private static void reportRawHead(int rounds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            sink += RawRequestHead.read(MESSAGE).callId.length();
        }
        long ns = threads.getCurrentThreadCpuTime() - start;
        System.out.printf("%-28s %7.2f us per read (%d)%n", "raw request head, MESSAGE", ns / 1000.0 / rounds, sink % 7);
    }

    private static void report(String what, MessageParser parser, byte[] bytes, int rounds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            SIPMessage message = parser.parseSIPMessage(bytes, true, false, null);
            sink += message.getSize();
        }
        long ns = threads.getCurrentThreadCpuTime() - start;
        System.out.printf("%-28s %7.2f us per parse (%d)%n", what, ns / 1000.0 / rounds, sink % 7);
    }
}
