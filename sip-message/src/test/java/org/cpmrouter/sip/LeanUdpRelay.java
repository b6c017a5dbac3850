package org.cpmrouter.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.pkts.packet.sip.SipMessage;

/**
 * The bound of issue 17's first step, for {@code bench/}: how cheap a UDP relay of MESSAGE can be in Java on this
 * machine when the JAIN-SIP transaction layer and transport are replaced by a lean one. A main, not a test, and not
 * product code: it measures what a lean SIP path could save before one is built.
 *
 * <p>Same work per message as {@link BareSipRelay}: each MESSAGE is relayed to {@code --to} with our Via on top and
 * one hop fewer, and the final response that comes back answers it. The transaction layer is the non-INVITE one of
 * RFC 3261 §17.1.2 / §17.2.2 reduced to what a relay needs: a retransmitted request is absorbed or answered with the
 * stored final response (Timer J keeps it 32 s), the relayed request is retransmitted at Timer E's 500 ms doubling to
 * T2 (4 s) and given up at Timer F (32 s), on the product's {@link ConstantDelayTimers}. The product's own lean path
 * is {@link LeanUdpTransport}; this relay is what bounded it before it was built, and still bounds it.
 *
 * <p>{@code --parse pkts} frames with pkts-sip (headers found lazily, relayed untouched as bytes: our Via and the new
 * Max-Forwards are spliced in, the UAS's response is relayed without our Via). {@code --parse ri} parses and encodes
 * with the JAIN-SIP RI's own message classes, as a lean path under the router's unchanged routes would have to
 * (the routes work on {@code javax.sip} messages): parsed, cloned with our Via, encoded; the response to the client
 * made from the request.
 *
 * <pre>java -cp sip-message/target/test-classes:sip-message/target/bench-lib/*:routes/target/lib/* \
 *     org.cpmrouter.sip.LeanUdpRelay [--port 5060] [--to 127.0.0.1:5070] [--parse pkts|ri] [--threads 4]</pre>
 */
public final class LeanUdpRelay {

    private static final long T2_MS = LeanUdpTransport.T2_MS;
    private static final long TIMER_F_MS = LeanUdpTransport.TIMER_F_MS;
    private static final long TIMER_J_MS = LeanUdpTransport.TIMER_J_MS;
    private static final byte[] CRLF = {'\r', '\n'};

    private final DatagramChannel channel;
    private final InetSocketAddress target;
    private final boolean pkts;
    private final String branchPrefix;
    private final String viaPrefix;
    private final AtomicLong branches = new AtomicLong();
    private final Map<String, ServerTx> serverTxs = new ConcurrentHashMap<>();
    private final Map<String, ClientTx> clientTxs = new ConcurrentHashMap<>();
    /** Timer E at 500 ms, 1 s, 2 s and 4 s, Timer F / J at 32 s: one FIFO per delay. */
    private final List<ConstantDelayTimers<ClientTx>> retransmitTimers = List.of(new ConstantDelayTimers<>(500),
            new ConstantDelayTimers<>(1_000), new ConstantDelayTimers<>(2_000), new ConstantDelayTimers<>(T2_MS));
    private final ConstantDelayTimers<ClientTx> timeoutTimer = new ConstantDelayTimers<>(TIMER_F_MS);
    private final ConstantDelayTimers<ServerTx> completedTimer = new ConstantDelayTimers<>(TIMER_J_MS);
    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    private LeanUdpRelay(DatagramChannel channel, InetSocketAddress target, boolean pkts, int port) {
        this.channel = channel;
        this.target = target;
        this.pkts = pkts;
        this.branchPrefix = "z9hG4bK-lean-" + System.nanoTime() + "-";
        this.viaPrefix = "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=" + branchPrefix;
    }

    public static void main(String[] args) throws Exception {
        int port = 5060;
        String to = "127.0.0.1:5070";
        String parse = "pkts";
        int threads = 4;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--to" -> to = args[i + 1];
                case "--parse" -> parse = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!parse.equals("pkts") && !parse.equals("ri")) {
            throw new IllegalArgumentException("--parse takes pkts or ri, not " + parse);
        }
        InetSocketAddress target = new InetSocketAddress(to.substring(0, to.lastIndexOf(':')),
                Integer.parseInt(to.substring(to.lastIndexOf(':') + 1)));
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress("127.0.0.1", port));
        LeanUdpRelay relay = new LeanUdpRelay(channel, target, parse.equals("pkts"), port);
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(relay::receiveLoop, "lean-udp-" + i);
            worker.setDaemon(true);
            worker.start();
        }
        Thread timers = new Thread(relay::timerLoop, "lean-timers");
        timers.setDaemon(true);
        timers.start();
        System.out.println("lean UDP relay (" + parse + ") ready on 127.0.0.1:" + port + " -> " + to);
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("lean UDP relay: " + relay.relayed.get() + " relayed, " + relay.timedOut.get()
                    + " timed out (408)");
            forever.countDown();
        }));
        forever.await();
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(65_535);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                buffer.flip();
                byte[] datagram = new byte[buffer.remaining()];
                buffer.get(datagram);
                if (startsWith(datagram, 0, "SIP/2.0 ")) {
                    onResponse(datagram);
                } else {
                    onRequest(datagram, from);
                }
            } catch (IOException | RuntimeException | java.text.ParseException e) {
                // a datagram that does not parse is dropped; a relay bound is not about bad input
                if (!channel.isOpen()) {
                    return;
                }
            }
        }
    }

    private void onRequest(byte[] datagram, SocketAddress from) throws IOException, java.text.ParseException {
        String key;
        SIPRequest parsed = null;
        SipMessage framed = null;
        if (pkts) {
            framed = SipMessage.frame(datagram);
            key = framed.getViaHeader().getBranch().toString();
        } else {
            parsed = (SIPRequest) new StringMsgParser().parseSIPMessage(datagram, true, false, null);
            key = parsed.getTopmostVia().getBranch();
        }
        ServerTx server = new ServerTx(from, parsed);
        ServerTx known = serverTxs.putIfAbsent(key, server);
        if (known != null) {
            byte[] last = known.finalResponse;
            if (last != null) {
                send(last, known.client);
            }
            return;   // absorbed: the relayed copy is still in its client transaction
        }
        server.key = key;
        String branch = Long.toString(branches.incrementAndGet(), 36);
        byte[] out = pkts ? spliced(datagram, branch) : encoded(parsed, branch);
        ClientTx client = new ClientTx(server, out, System.nanoTime());
        clientTxs.put(branchPrefix + branch, client);
        retransmitTimers.get(0).add(client);
        timeoutTimer.add(client);
        send(out, target);
    }

    private void onResponse(byte[] datagram) throws IOException, java.text.ParseException {
        int status;
        String key;
        SIPResponse parsed = null;
        if (pkts) {
            SipMessage framed = SipMessage.frame(datagram);
            status = framed.toResponse().getStatus();
            key = framed.getViaHeader().getBranch().toString();
        } else {
            parsed = (SIPResponse) new StringMsgParser().parseSIPMessage(datagram, true, false, null);
            status = parsed.getStatusCode();
            key = parsed.getTopmostVia().getBranch();
        }
        if (status < 200) {
            ClientTx client = clientTxs.get(key);
            if (client != null) {
                client.proceeding = true;
            }
            return;
        }
        ClientTx client = clientTxs.remove(key);
        if (client == null) {
            return;   // a retransmitted final response, or one for a transaction timed out: dropped
        }
        client.done = true;
        ServerTx server = client.server;
        byte[] answer = pkts ? withoutTopVia(datagram) : answerFrom(server.request, parsed);
        server.finalResponse = answer;
        server.request = null;
        completedTimer.add(server);
        relayed.incrementAndGet();
        send(answer, server.client);
    }

    /** The request as received, with our Via line after the request line and Max-Forwards one lower. */
    private byte[] spliced(byte[] request, String branch) {
        int lineEnd = indexOf(request, 0, CRLF) + 2;
        byte[] via = (viaPrefix + branch + ";rport\r\n").getBytes(StandardCharsets.US_ASCII);
        int mf = indexOf(request, lineEnd, "\r\nMax-Forwards: ".getBytes(StandardCharsets.US_ASCII));
        int headerEnd = indexOf(request, lineEnd, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (mf < 0 || (headerEnd >= 0 && mf > headerEnd)) {
            return concat(request, 0, lineEnd, via, request, lineEnd, request.length);
        }
        int valueStart = mf + 16;
        int valueEnd = indexOf(request, valueStart, CRLF);
        int hops = Integer.parseInt(new String(request, valueStart, valueEnd - valueStart,
                StandardCharsets.US_ASCII).trim());
        byte[] head = concat(request, 0, lineEnd, via, request, lineEnd, valueStart);
        byte[] value = Integer.toString(hops - 1).getBytes(StandardCharsets.US_ASCII);
        return concat(head, 0, head.length, value, request, valueEnd, request.length);
    }

    private byte[] encoded(SIPRequest request, String branch) throws java.text.ParseException {
        SIPRequest out = (SIPRequest) request.clone();
        try {
            Via via = new Via();
            via.setTransport("UDP");
            via.setHost("127.0.0.1");
            via.setPort(channel.socket().getLocalPort());
            via.setBranch(branchPrefix + branch);
            via.setRPort();
            out.addFirst(via);
            MaxForwardsHeader mf = (MaxForwardsHeader) out.getHeader(MaxForwardsHeader.NAME);
            if (mf != null) {
                mf.decrementMaxForwards();
            }
        } catch (javax.sip.InvalidArgumentException | javax.sip.SipException e) {
            throw new java.text.ParseException(e.getMessage(), 0);
        }
        return out.encodeAsBytes("UDP");
    }

    /** The router's way: a new response to the client's request with the relayed status. */
    private byte[] answerFrom(SIPRequest request, SIPResponse relayedResponse) throws java.text.ParseException {
        Response answer = messages.createResponse(relayedResponse.getStatusCode(), request);
        answer.setReasonPhrase(relayedResponse.getReasonPhrase());
        ToHeader to = (ToHeader) answer.getHeader(ToHeader.NAME);
        if (to.getTag() == null) {
            to.setTag(Long.toString(branches.incrementAndGet(), 36));
        }
        return ((SIPMessage) answer).encodeAsBytes("UDP");
    }

    /** A proxy's way: the response as received, without its top Via line (ours). */
    private static byte[] withoutTopVia(byte[] response) {
        int from = indexOf(response, 0, "\r\nVia: ".getBytes(StandardCharsets.US_ASCII));
        if (from < 0) {
            from = indexOf(response, 0, "\r\nv: ".getBytes(StandardCharsets.US_ASCII));
        }
        int to = indexOf(response, from + 2, CRLF);
        int comma = indexOf(response, from + 2, new byte[] {','});
        if (comma >= 0 && comma < to) {   // "Via: ours, theirs": keep the header, drop the first value
            byte[] name = "\r\nVia: ".getBytes(StandardCharsets.US_ASCII);
            int rest = comma + 1;
            while (response[rest] == ' ') {
                rest++;
            }
            return concat(response, 0, from, name, response, rest, response.length);
        }
        return concat(response, 0, from, new byte[0], response, to, response.length);
    }

    private void timerLoop() {
        while (channel.isOpen()) {
            long now = System.nanoTime();
            for (int level = 0; level < retransmitTimers.size(); level++) {
                int next = Math.min(level + 1, retransmitTimers.size() - 1);
                retransmitTimers.get(level).fire(now, client -> retransmit(client, next));
            }
            timeoutTimer.fire(now, this::timeOut);
            completedTimer.fire(now, server -> serverTxs.remove(server.key, server));
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Timer E: send again at twice the last interval, up to T2 (at T2 once a provisional came). */
    private void retransmit(ClientTx client, int nextLevel) {
        if (client.done) {
            return;
        }
        try {
            send(client.request, target);
        } catch (IOException e) {
            return;
        }
        retransmitTimers.get(client.proceeding ? retransmitTimers.size() - 1 : nextLevel).add(client);
    }

    /** Timer F: no final response in 32 s. The bound counts it; answering 408 is the router's work, not the relay's. */
    private void timeOut(ClientTx client) {
        if (!client.done) {
            client.done = true;
            clientTxs.values().remove(client);
            timedOut.incrementAndGet();
        }
    }

    private void send(byte[] datagram, SocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(datagram), to);
    }

    private static boolean startsWith(byte[] data, int at, String prefix) {
        if (data.length - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, int from, byte[] needle) {
        outer:
        for (int i = Math.max(from, 0); i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, int aFrom, int aTo, byte[] middle, byte[] b, int bFrom, int bTo) {
        byte[] out = new byte[(aTo - aFrom) + middle.length + (bTo - bFrom)];
        System.arraycopy(a, aFrom, out, 0, aTo - aFrom);
        System.arraycopy(middle, 0, out, aTo - aFrom, middle.length);
        System.arraycopy(b, bFrom, out, aTo - aFrom + middle.length, bTo - bFrom);
        return out;
    }

    /** A request received: where it came from and, once answered, the final response for its retransmissions. */
    private static final class ServerTx {
        final SocketAddress client;
        /** The parsed request (RI mode) until it is answered; Timer J keeps only the answer's bytes. */
        volatile SIPRequest request;
        volatile String key;
        volatile byte[] finalResponse;

        ServerTx(SocketAddress client, SIPRequest request) {
            this.client = client;
            this.request = request;
        }
    }

    /** The relayed copy of a request, retransmitted until its final response comes or Timer F fires. */
    private static final class ClientTx {
        final ServerTx server;
        final byte[] request;
        final long started;
        volatile boolean proceeding;
        volatile boolean done;

        ClientTx(ServerTx server, byte[] request, long started) {
            this.server = server;
            this.request = request;
            this.started = started;
        }
    }
}
