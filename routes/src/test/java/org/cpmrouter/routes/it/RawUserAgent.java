package org.cpmrouter.routes.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.cpmrouter.sip.auth.DigestAlgorithm;

/**
 * A SIP user agent of bare UDP on 127.0.0.1 for fault tests: it registers a user with its own address as contact,
 * and it answers a request it receives only when the test says so, or never (a client that hangs).
 */
final class RawUserAgent implements AutoCloseable {

    /** A request as received, with where it came from (where its response goes, RFC 3261 section 18.2.2). */
    record Received(String text, SocketAddress from) {

        String header(String name) {
            for (String line : text.split("\r\n")) {
                if (line.isEmpty()) {
                    break;
                }
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }
    }

    private final DatagramSocket socket;

    RawUserAgent() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    int port() {
        return socket.getLocalPort();
    }

    /**
     * Registers sip:user@cpm.example.com at this agent's address, answering the core's digest challenge with the
     * user's demo password (SHA-256); the router's final status.
     */
    int register(String user, int routerPort, int expires) throws IOException {
        return status(registerWith(user, routerPort, expires, ""));
    }

    /**
     * As {@link #register}, with extra header lines (each ending in CRLF) on the REGISTER, such as the {@code Path}
     * a proxy in front adds; the router's final response, or null when none came.
     */
    String registerWith(String user, int routerPort, int expires, String extraHeaders) throws IOException {
        String callId = UUID.randomUUID() + "@127.0.0.1";
        String request = registerRequest(user, callId, 1, expires, extraHeaders);
        send(request, routerPort);
        String first = awaitFinal(callId);
        if (first == null || !first.startsWith("SIP/2.0 401")) {
            return first;
        }
        String authorization = DigestProbe.answer(first, request.getBytes(StandardCharsets.UTF_8), user,
                RouterFixture.password(user), DigestAlgorithm.SHA_256, 1);
        send(registerRequest(user, callId, 2, expires, extraHeaders + "Authorization: " + authorization + "\r\n"),
                routerPort);
        return awaitFinal(callId);
    }

    private String registerRequest(String user, String callId, int cseq, int expires, String extraHeaders) {
        return "REGISTER sip:" + RouterFixture.DOMAIN + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port() + ";rport;branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <" + RouterFixture.uri(user) + ">;tag=r" + port() + "\r\n"
                + "To: <" + RouterFixture.uri(user) + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:" + user + "@127.0.0.1:" + port() + ">\r\n"
                + "Expires: " + expires + "\r\n"
                + "User-Agent: " + DigestProbe.USER_AGENT + "\r\n"
                + extraHeaders
                + "Content-Length: 0\r\n\r\n";
    }

    /** The final response for a Call-ID, or null when none comes in 20 s. */
    private String awaitFinal(String callId) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Received r = receive(Duration.ofNanos(deadline - System.nanoTime()));
            if (r != null && r.text().startsWith("SIP/2.0 ") && callId.equals(r.header("Call-ID"))
                    && r.text().charAt(8) != '1') {
                return r.text();
            }
        }
        return null;
    }

    private static int status(String response) {
        return response == null ? -1 : Integer.parseInt(response.substring(8, 11));
    }

    /** The next request this agent receives (responses are skipped), or null when none comes in time. */
    Received awaitRequest(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Received r = receive(Duration.ofNanos(deadline - System.nanoTime()));
            if (r != null && !r.text().startsWith("SIP/2.0 ")) {
                return r;
            }
        }
        return null;
    }

    /** Answers a received request with a final status (a To tag added), to where it came from. */
    void answer(Received request, int status, String reason) throws IOException {
        answer(request, status, reason, "");
    }

    /** As {@link #answer(Received, int, String)}, with extra header lines (each ending in CRLF). */
    void answer(Received request, int status, String reason, String extraHeaders) throws IOException {
        StringBuilder response = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        for (String line : request.text().split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, "Via:", 0, 4)) {
                response.append(line).append("\r\n");
            }
        }
        String to = request.header("To");
        response.append("From: ").append(request.header("From")).append("\r\n")
                .append("To: ").append(to).append(to.contains(";tag=") ? "" : ";tag=ua" + port()).append("\r\n")
                .append("Call-ID: ").append(request.header("Call-ID")).append("\r\n")
                .append("CSeq: ").append(request.header("CSeq")).append("\r\n")
                .append(extraHeaders)
                .append("Content-Length: 0\r\n\r\n");
        byte[] bytes = response.toString().getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, request.from()));
    }

    private void send(String text, int port) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    private Received receive(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new Received(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8),
                packet.getSocketAddress());
    }

    @Override
    public void close() {
        socket.close();
    }
}
