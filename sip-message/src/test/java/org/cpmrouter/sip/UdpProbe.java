package org.cpmrouter.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A bare UDP peer on 127.0.0.1 that sends hand-written SIP and reads the final response. For tests. */
public final class UdpProbe implements AutoCloseable {

    private final DatagramSocket socket;
    private final String host;

    public UdpProbe() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** A probe bound to another loopback address (127.0.0.2, say: a second source on the same machine). */
    public UdpProbe(InetAddress bindAddress) throws IOException {
        socket = new DatagramSocket(0, bindAddress);
        socket.setSoTimeout(5000);
        host = bindAddress.getHostAddress();
    }

    /** How long {@link #awaitFinal} waits for a response, milliseconds (default 5000). */
    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Sends raw text (LF line ends become CRLF) and returns the first final response's text, or null on timeout. */
    public String exchange(String text, int port) throws IOException {
        send(text, port);
        return awaitFinal();
    }

    public void send(String text, int port) throws IOException {
        byte[] bytes = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    /** Sends bytes exactly as given. */
    public void sendRaw(byte[] bytes, int port) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    public String awaitFinal() throws IOException {
        return awaitDatagram(text -> !text.startsWith("SIP/2.0 1"));
    }

    /** The first final response's bytes exactly as they came, or null on timeout. */
    public byte[] awaitFinalBytes() throws IOException {
        return awaitBytes(text -> !text.startsWith("SIP/2.0 1"));
    }

    /**
     * Waits for a request whose text contains {@code marker} (other datagrams, such as the sender's
     * retransmissions of an earlier request, are skipped); null on timeout.
     */
    public String awaitRequest(String marker) throws IOException {
        return awaitDatagram(text -> !text.startsWith("SIP/2.0 ") && text.contains(marker));
    }

    /** The next datagram whose text matches, skipping the others; null on timeout. */
    private String awaitDatagram(java.util.function.Predicate<String> wanted) throws IOException {
        byte[] bytes = awaitBytes(wanted);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private byte[] awaitBytes(java.util.function.Predicate<String> wanted) throws IOException {
        byte[] buf = new byte[65536];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (wanted.test(text)) {
                return java.util.Arrays.copyOf(p.getData(), p.getLength());
            }
        }
    }

    /** Answers a received request (its Via, From, To with a tag, Call-ID and CSeq copied) to 127.0.0.1:port. */
    public void respond(String request, int status, String reason, int port) throws IOException {
        StringBuilder response = new StringBuilder("SIP/2.0 " + status + " " + reason + "\n");
        for (String line : request.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(java.util.Locale.ROOT);
            switch (name) {
                case "via", "v", "from", "f", "call-id", "i", "cseq" -> response.append(line).append('\n');
                case "to", "t" -> response.append(line).append(line.contains(";tag=") ? "" : ";tag=probe")
                        .append('\n');
                default -> { }
            }
        }
        send(response.append("Content-Length: 0\n\n").toString(), port);
    }

    /** A well-formed MESSAGE from this probe to target at 127.0.0.1:port. */
    public String message(String target, int port, String extraHeaders, String body) {
        String branch = "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
        return "MESSAGE " + target + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP " + host + ":" + port() + ";branch=" + branch + "\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:alice@cpm.example.com>;tag=p" + port() + "\n"
                + "To: <" + target + ">\n"
                + "Call-ID: " + UUID.randomUUID() + "@" + host + "\n"
                + "CSeq: 1 MESSAGE\n"
                + extraHeaders
                + "Content-Type: message/cpim\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\n"
                + "\n" + body;
    }

    public static int status(String response) {
        if (response == null || !response.startsWith("SIP/2.0 ")) {
            return -1;
        }
        return Integer.parseInt(response.substring(8, 11));
    }

    /**
     * The values of a header in a response's head, one per list element (whether the sender wrote them on one line
     * or on several), in order; empty when the header is not there.
     */
    public static List<String> headerValues(String response, String name) {
        List<String> values = new ArrayList<>();
        String head = response.split("\r?\n\r?\n", 2)[0];
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                for (String value : line.substring(colon + 1).split(",")) {
                    if (!value.isBlank()) {
                        values.add(value.trim());
                    }
                }
            }
        }
        return values;
    }

    @Override
    public void close() {
        socket.close();
    }
}
