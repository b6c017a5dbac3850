package org.cpmrouter.routes.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cpmrouter.sip.UdpProbe;
import org.cpmrouter.sip.auth.DigestAlgorithm;
import org.cpmrouter.sip.auth.DigestAuthorization;
import org.cpmrouter.sip.auth.DigestChallenge;

/**
 * A bare UDP peer ({@link UdpProbe}) that answers the router's digest challenge by hand, so a test can shape every
 * header of a request and still get past authentication: it sends the request, and on a 401 sends it again with
 * CSeq 2, a new branch and an {@code Authorization} for the given user and password.
 */
final class DigestProbe implements AutoCloseable {

    /** What the probes call themselves: not a client the router offers MD5 alone. */
    static final String USER_AGENT = "cpm-router-it/1";

    private final UdpProbe probe;
    private final int routerPort;

    DigestProbe(int routerPort) throws IOException {
        this(routerPort, java.net.InetAddress.getLoopbackAddress());
    }

    /** A probe whose requests come from {@code source} (another loopback address, such as 127.0.0.2). */
    DigestProbe(int routerPort, java.net.InetAddress source) throws IOException {
        this.probe = new UdpProbe(source);
        this.routerPort = routerPort;
    }

    UdpProbe probe() {
        return probe;
    }

    int port() {
        return probe.port();
    }

    /**
     * A well-formed MESSAGE, as {@link UdpProbe#message}, with the {@code User-Agent} of a phone-like client, which
     * the router challenges with SHA-256 and MD5 (a request without one is offered MD5 alone by default).
     */
    String message(String target, String extraHeaders, String body) {
        return probe.message(target, routerPort, "User-Agent: " + USER_AGENT + "\n" + extraHeaders, body);
    }

    /** Sends text (LF line ends become CRLF) and returns the final response, or null on timeout. */
    String send(String request) throws IOException {
        return probe.exchange(request, routerPort);
    }

    /**
     * Sends the request; a 401 is answered once, with the challenge for {@code algorithm}.
     *
     * @return the final response to the request with credentials (or the first one when it was not a 401)
     */
    String sendAuthenticated(String request, String user, String password, DigestAlgorithm algorithm)
            throws IOException {
        byte[] wire = crlf(request);
        probe.sendRaw(wire, routerPort);
        String first = probe.awaitFinal();
        if (UdpProbe.status(first) != 401) {
            return first;
        }
        byte[] again = withHeader(wire, "Authorization: " + answer(first, wire, user, password, algorithm, 1));
        probe.sendRaw(again, routerPort);
        return probe.awaitFinal();
    }

    /** Sends exactly these bytes, then answers a 401 as {@link #sendAuthenticated(String, String, String, DigestAlgorithm)}. */
    String sendAuthenticated(byte[] wire, String user, String password) throws IOException {
        probe.sendRaw(wire, routerPort);
        String first = probe.awaitFinal();
        if (UdpProbe.status(first) != 401) {
            return first;
        }
        probe.sendRaw(withHeader(wire, "Authorization: " + answer(first, wire, user, password, DigestAlgorithm.SHA_256,
                1)), routerPort);
        return probe.awaitFinal();
    }

    /**
     * Sends a MESSAGE from {@code fromUser} (a demo subscriber, who answers the challenge with the demo password) to
     * {@code target} with exactly these body bytes and this Content-Type, and extra header lines (each ending in LF),
     * and returns the final response.
     */
    String sendAs(String fromUser, String target, String extraHeaders, String contentType, byte[] body)
            throws IOException {
        String head = message(target, extraHeaders, "")
                .replace("Content-Type: message/cpim", "Content-Type: " + contentType)
                .replace("From: <sip:alice@cpm.example.com>", "From: <sip:" + fromUser + "@cpm.example.com>")
                .replace("Content-Length: 0\n", "Content-Length: " + body.length + "\n");
        byte[] headBytes = crlf(head);
        byte[] wire = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, wire, 0, headBytes.length);
        System.arraycopy(body, 0, wire, headBytes.length, body.length);
        return sendAuthenticated(wire, fromUser, RouterFixture.password(fromUser));
    }

    /** The credentials answering the challenge of {@code algorithm} in a 401, for a request. */
    static String answer(String response401, byte[] request, String user, String password, DigestAlgorithm algorithm,
                         int nonceCount) {
        DigestChallenge challenge = challenges(response401).stream().filter(c -> c.algorithm() == algorithm)
                .findFirst().orElseThrow(() -> new AssertionError("no " + algorithm + " challenge in " + response401));
        String[] requestLine = head(request).split("\r\n", 2)[0].split(" ");
        return DigestAuthorization.answer(challenge, user, password, requestLine[0], requestLine[1], nonceCount,
                UUID.randomUUID().toString()).toHeaderValue();
    }

    /** Every WWW-Authenticate challenge of a response, in order. */
    static List<DigestChallenge> challenges(String response) {
        List<DigestChallenge> all = new ArrayList<>();
        for (String value : headers(response, "WWW-Authenticate")) {
            all.add(DigestChallenge.parse(value).orElseThrow(() -> new AssertionError("unreadable: " + value)));
        }
        return all;
    }

    /** The values of a header in a message's head, in order. */
    static List<String> headers(String message, String name) {
        List<String> values = new ArrayList<>();
        for (String line : message.split("\r\n\r\n", 2)[0].split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                values.add(line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    /**
     * The same request as a new transaction: CSeq 2, a fresh Via branch, and the header line added (after CSeq).
     */
    static byte[] withHeader(byte[] wire, String headerLine) {
        String head = head(wire);
        byte[] body = java.util.Arrays.copyOfRange(wire, head.getBytes(StandardCharsets.UTF_8).length, wire.length);
        String newHead = head.replaceFirst("branch=[^;\r\n]+", "branch=z9hG4bK" + UUID.randomUUID().toString()
                        .replace("-", ""))
                .replaceFirst("(?m)^CSeq: *\\d+ ", "CSeq: 2 ")
                .replaceFirst("(?m)^(CSeq: [^\r\n]*\r\n)", "$1" + java.util.regex.Matcher.quoteReplacement(headerLine)
                        + "\r\n");
        byte[] h = newHead.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** The same request bytes as a new transaction (a fresh Via branch), everything else unchanged: a replay. */
    static byte[] asNewTransaction(byte[] wire) {
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        return text.replaceFirst("branch=[^;\r\n]+", "branch=z9hG4bKreplay" + UUID.randomUUID().toString()
                .replace("-", "")).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The head of a request in wire form, through the blank line. */
    private static String head(byte[] wire) {
        String text = new String(wire, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end + 4);
    }

    /** Text with LF line ends as CRLF bytes, as {@link UdpProbe#send} puts it on the wire. */
    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        probe.close();
    }
}
