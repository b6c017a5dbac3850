package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.cpmrouter.sip.FuzzCase.Expected;
import org.cpmrouter.sip.FuzzCase.Outcome;
import org.cpmrouter.sip.camel.SipCamelContextExtension;
import org.cpmrouter.sip.camel.SipMessageConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fuzzes the SIP parsing boundary: a few hundred seeded mutations of a valid MESSAGE ({@link
 * MalformedRequestGenerator}) go to a real sip-message consumer on 127.0.0.1, most over UDP and some over TCP.
 * Each must have exactly the outcome the generator states (a status and reason, delivery of an exact body, or a
 * silent drop), every response must be framed right on the wire ({@link ResponseFraming}), and after each one a
 * valid MESSAGE must still be answered by the route.
 *
 * <p>Seed and size: {@code -Dfuzz.seed=N -Dfuzz.cases=N} (defaults {@value #DEFAULT_SEED}, {@value #DEFAULT_CASES});
 * the seed is printed, so a failure is replayed with the same cases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipParsingBoundaryFuzzTest {

    static final long DEFAULT_SEED = 4475;
    static final int DEFAULT_CASES = 400;
    private static final int ROUTE_STATUS = 202;

    @RegisterExtension
    final SipCamelContextExtension SIP = new SipCamelContextExtension(udpPath());

    private int port;
    /** Bodies the route received, by Call-ID. */
    private final Map<String, byte[]> delivered = new ConcurrentHashMap<>();
    /** Responses framed wrongly on the wire, described. */
    private final List<String> misframed = new ArrayList<>();

    /** What carries UDP for the consumer under test (the subclass for the lean path overrides it). */
    String udpPath() {
        return "jain-sip";
    }

    @BeforeAll
    void start() throws Exception {
        port = SIP.consumer("fuzz-target", "transports=udp,tcp", route -> route
                .process(e -> {
                    delivered.put(e.getMessage().getHeader("Call-ID", String.class),
                            e.getMessage().getBody(byte[].class));
                    e.getMessage().setHeader(SipMessageConstants.STATUS_CODE, ROUTE_STATUS);
                }));
    }

    @Test
    void should_answer_each_malformed_request_as_the_rfc_requires_and_keep_answering_valid_ones() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("fuzz.cases", DEFAULT_CASES);
        System.out.printf("SIP parsing fuzz: seed %d, %d cases (replay: -Dfuzz.seed=%d -Dfuzz.cases=%d)%n",
                seed, cases, seed, cases);
        Map<String, Integer> byOutcome = new TreeMap<>();
        Map<String, Integer> byKind = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        try (UdpProbe udp = new UdpProbe()) {
            MalformedRequestGenerator generator = new MalformedRequestGenerator(seed, port, udp.port());
            for (int i = 0; i < cases; i++) {
                FuzzCase c = generator.next(i);
                Expected observed = c.transport().equals("udp") ? sendOverUdp(udp, c) : sendOverTcp(c);
                if (!observed.equals(c.expected())) {
                    failures.add(describe(c, observed));
                }
                byOutcome.merge(label(observed), 1, Integer::sum);
                byKind.merge(c.kind().replaceAll("/.*", "") + " " + c.transport(), 1, Integer::sum);
                assertStillAnswering(udp, c);
            }
        }
        System.out.printf("SIP parsing fuzz: %d cases, outcomes %s%n", cases, byOutcome);
        System.out.printf("SIP parsing fuzz: cases by kind %s%n", byKind);
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " cases (seed " + seed
                + ") had the wrong outcome:\n" + String.join("\n", failures));
        assertTrue(misframed.isEmpty(), misframed.size() + " responses (seed " + seed
                + ") were framed wrongly:\n" + String.join("\n", misframed));
    }

    /** Sends a case in one datagram and reads what became of it. */
    private Expected sendOverUdp(UdpProbe udp, FuzzCase c) throws IOException {
        udp.sendRaw(c.wire(), port);
        if (c.expected().outcome() == Outcome.DROPPED) {
            // a valid request sent after it is answered; nothing may have answered the dropped one by then
            String probeCallId = sendValidOverUdp(udp);
            Reply reply = awaitUdp(udp);
            if (reply == null) {
                return Expected.refused(0, "no answer to the valid request sent after it");
            }
            return reply.callId.equals(probeCallId) ? Expected.dropped() : observed(reply, c);
        }
        Reply reply = awaitUdp(udp);
        if (reply == null) {
            return Expected.dropped();
        }
        return reply.callId.equals(c.callId()) ? observed(reply, c)
                : Expected.refused(reply.status, "a response for another request: " + reply.callId);
    }

    /** Sends a case on a new connection; a valid request follows it there when it must be dropped. */
    private Expected sendOverTcp(FuzzCase c) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(c.wire());
            String followUp = null;
            if (c.expected().outcome() == Outcome.DROPPED) {
                followUp = "follow-" + c.callId();
                socket.getOutputStream().write(validMessage("TCP", "127.0.0.1", followUp, "after a dropped one"));
            }
            Reply reply = readTcp(socket.getInputStream());
            if (reply == null) {
                return Expected.dropped();
            }
            if (reply.callId.equals(followUp)) {
                return reply.status == ROUTE_STATUS ? Expected.dropped()
                        : Expected.refused(reply.status, "follow-up answered " + reply.reason);
            }
            return observed(reply, c);
        }
    }

    private Expected observed(Reply reply, FuzzCase c) {
        if (reply.status == ROUTE_STATUS && delivered.containsKey(c.callId())) {
            return Expected.delivered(delivered.get(c.callId()));
        }
        return Expected.refused(reply.status, reply.reason);
    }

    /** A valid MESSAGE over UDP gets the route's answer: the server survived the case. */
    private void assertStillAnswering(UdpProbe udp, FuzzCase after) throws IOException {
        String callId = sendValidOverUdp(udp);
        Reply reply = awaitUdp(udp);
        if (reply == null) {
            throw new AssertionError("the server stopped answering after " + describe(after, null));
        }
        // anything else is a late answer to a case that had to be dropped, or a second answer to one
        assertEquals(callId, reply.callId, () -> "response " + reply.status + " " + reply.reason
                + " while waiting for the valid MESSAGE after " + describe(after, null));
        assertEquals(ROUTE_STATUS, reply.status, "valid MESSAGE after case " + after.index());
        assertTrue(delivered.containsKey(callId), "the route did not get the valid MESSAGE after case " + after.index());
    }

    private String sendValidOverUdp(UdpProbe udp) throws IOException {
        String callId = "valid-" + System.nanoTime() + "@127.0.0.1";
        udp.sendRaw(validMessage("UDP", "127.0.0.1:" + udp.port(), callId, "still there?"), port);
        return callId;
    }

    private byte[] validMessage(String transport, String sentBy, String callId, String text) {
        String body = text;
        return ("MESSAGE sip:bob@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + sentBy + ";rport;branch=z9hG4bK" + Math.abs(callId.hashCode())
                + "v" + System.nanoTime() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@cpm.example.com>;tag=valid\r\n"
                + "To: <sip:bob@cpm.example.com>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    private Reply awaitUdp(UdpProbe udp) throws IOException {
        byte[] datagram = udp.awaitFinalBytes();
        if (datagram == null) {
            return null;
        }
        String text = new String(datagram, StandardCharsets.ISO_8859_1);
        String problem = ResponseFraming.problem(datagram);
        if (problem != null) {
            misframed.add(problem + ": " + LogText.of(text));
        }
        return Reply.parse(text);
    }

    /** One response from a stream: its head, then Content-Length bytes of body. */
    private Reply readTcp(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    String text = head.toString(StandardCharsets.ISO_8859_1);
                    String problem = ResponseFraming.headProblem(text.substring(0, text.length() - 4));
                    if (problem != null) {
                        misframed.add(problem + ": " + LogText.of(text));
                    }
                    Reply reply = Reply.parse(text);
                    in.readNBytes(reply.contentLength);
                    if (reply.status >= 200) {
                        return reply;
                    }
                    head.reset();
                }
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static String label(Expected observed) {
        switch (observed.outcome()) {
            case DELIVERED: return "delivered";
            case DROPPED: return "dropped";
            default: return Integer.toString(observed.status());
        }
    }

    private static String describe(FuzzCase c, Expected observed) {
        String head = new String(c.wire(), 0, Math.min(c.wire().length, 160), StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\\r\\n").replaceAll("[^\\x20-\\x7e]", "?");
        return "case " + c.index() + " " + c.kind() + " over " + c.transport()
                + (observed == null ? "" : ": expected " + c.expected() + ", got " + observed
                        + (observed.outcome() == Outcome.DELIVERED && c.expected().body() != null
                                ? " (body " + (Arrays.equals(observed.body(), c.expected().body()) ? "same" : "differs")
                                + ")" : ""))
                + "\n    " + head;
    }

    /** The parts of a response the test looks at. */
    private record Reply(int status, String reason, String callId, int contentLength) {

        static Reply parse(String text) {
            String[] lines = text.split("\r\n");
            String statusLine = lines[0];
            int status = Integer.parseInt(statusLine.substring(8, 11));
            String reason = statusLine.length() > 12 ? statusLine.substring(12) : "";
            String callId = "";
            int length = 0;
            for (String line : lines) {
                if (line.isEmpty()) {
                    break; // the body
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Call-ID") || name.equals("i")) {
                    callId = value;
                } else if (name.equalsIgnoreCase("Content-Length") || name.equals("l")) {
                    length = Integer.parseInt(value);
                }
            }
            return new Reply(status, reason, callId, length);
        }
    }
}
