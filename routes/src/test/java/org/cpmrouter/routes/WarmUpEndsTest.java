package org.cpmrouter.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.cpmrouter.routes.WarmUpEnds.Client;
import org.cpmrouter.routes.WarmUpEnds.Device;
import org.cpmrouter.routes.WarmUpEnds.Framer;
import org.cpmrouter.routes.WarmUpEnds.Transport;
import org.junit.jupiter.api.Test;

/**
 * The startup warm-up's ends: the TCP framing of its client and device, and a MESSAGE answered over each transport
 * on 127.0.0.1 (the warm-up through the whole router: StartupWarmUpIT).
 */
class WarmUpEndsTest {

    private static final String MESSAGE = "MESSAGE sip:b@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bK-1\r\n"
            + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c-1\r\nCSeq: 1 MESSAGE\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";

    @Test
    void should_cut_messages_out_of_a_stream_that_splits_and_joins_them() throws IOException {
        String second = MESSAGE.replace("c-1", "c-2").replace("Content-Length: 5", "l: 5");
        byte[] wire = ("\r\n\r\n" + MESSAGE + second).getBytes(StandardCharsets.UTF_8);
        // read in pieces of 7 bytes, with a timed-out read between each: a message arrives in parts
        Framer framer = new Framer();
        InputStream in = new Trickle(wire, 7);
        StringBuilder got = new StringBuilder();
        int whole = 0;
        for (int i = 0; i < wire.length && whole < 2; i++) {
            String message = framer.next(in);
            if (message != null) {
                got.append(message);
                whole++;
            }
        }
        assertEquals(MESSAGE + second, got.toString(), "both messages whole, the keep-alive CRLFs before them skipped");
        assertNull(framer.next(in), "nothing more for now");
    }

    @Test
    void should_refuse_a_message_without_content_length_and_report_a_closed_stream() {
        String unframed = MESSAGE.replace("Content-Length: 5\r\n", "");
        IOException e = assertThrows(IOException.class,
                () -> new Framer().next(new ByteArrayInputStream(unframed.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("Content-Length"), e.getMessage());
        assertThrows(EOFException.class, () -> new Framer().next(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void should_run_over_the_configured_transports_of_those_it_knows() {
        assertEquals(List.of(Transport.UDP, Transport.TCP), Transport.of(List.of("tcp", "udp", "tls")));
        assertEquals(List.of(Transport.TCP), Transport.of(List.of("TCP")));
        assertEquals(List.of(), Transport.of(List.of("tls")));
    }

    @Test
    void should_get_each_message_answered_by_the_device_over_either_transport() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (Transport transport : Transport.values()) {
            try (Device device = WarmUpEnds.device(transport, loopback, request -> StartupWarmUp.ok(request));
                 Client client = WarmUpEnds.client(transport, new InetSocketAddress(loopback, device.port()))) {
                for (int i = 1; i <= 3; i++) {
                    client.send(MESSAGE.replace("c-1", "c-" + i).getBytes(StandardCharsets.UTF_8));
                }
                Deque<String> answers = new ArrayDeque<>();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (answers.size() < 3 && System.nanoTime() < deadline) {
                    String answer = client.receive();
                    if (answer != null) {
                        answers.add(answer);
                    }
                }
                assertEquals(3, answers.size(), transport + ": every MESSAGE answered");
                for (int i = 1; i <= 3; i++) {
                    String answer = answers.poll();
                    assertTrue(answer.startsWith("SIP/2.0 200 OK\r\n"), transport + ": " + answer);
                    assertEquals("c-" + i, StartupWarmUp.header(answer, "Call-ID", "i"), transport + ": in order");
                }
            }
        }
    }

    /** A stream that gives at most {@code piece} bytes a read and times out on every other read. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private final int piece;
        private int position;
        private boolean idle;

        Trickle(byte[] data, int piece) {
            this.data = data;
            this.piece = piece;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            idle = !idle;
            if (idle) {
                throw new SocketTimeoutException("nothing yet");
            }
            if (position == data.length) {
                throw new SocketTimeoutException("nothing more");
            }
            int n = Math.min(Math.min(piece, length), data.length - position);
            System.arraycopy(data, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
