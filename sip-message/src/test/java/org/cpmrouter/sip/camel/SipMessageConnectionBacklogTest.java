package org.cpmrouter.sip.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cpmrouter.sip.UdpProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Overload control over a real TCP connection on 127.0.0.1: the requests of one connection are parsed and handed
 * over by one thread, so while that thread is held, what the connection brings waits in the stack's buffer, where
 * no count of requests in flight sees it. With a bound on that backlog, a request with more than the bound behind it
 * is refused 503 with Retry-After on the connection and never reaches the route; the connection stays framed (each
 * request gets exactly one answer, the refused ones' bodies are read past) and the requests near its end, with
 * little behind them, are served. Without the bound none is refused.
 */
class SipMessageConnectionBacklogTest {

    private static final int REQUESTS = 20;
    /** How long the route holds the connection's thread per request. */
    private static final long HOLD_MS = 100;

    private CamelContext context;
    private int port;
    private final Set<String> routed = ConcurrentHashMap.newKeySet();

    private void start(int connectionBacklogKb) throws Exception {
        context = new DefaultCamelContext();
        SipMessageComponent component = context.getComponent("sip-message", SipMessageComponent.class);
        component.setMaxInFlight(1000); // never full here: only the backlog refuses
        component.setRetryAfterSeconds(3);
        component.setConnectionBacklogKb(connectionBacklogKb);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("sip-message:127.0.0.1:0?transports=udp,tcp").routeId("slow").process(exchange -> {
                    routed.add(exchange.getMessage().getHeader("Call-ID", String.class));
                    Thread.sleep(HOLD_MS); // on the connection's own thread: what it brings meanwhile waits
                    exchange.getMessage().setHeader(SipMessageConstants.STATUS_CODE, 200);
                });
            }
        });
        context.start();
        port = ((SipMessageConsumer) context.getRoute("slow").getConsumer()).node().port();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void should_refuse_503_the_requests_with_more_than_the_bound_behind_them_and_serve_the_rest() throws Exception {
        start(1);
        Map<String, String> answers = sendAtOnce();
        List<String> refused = new ArrayList<>();
        answers.forEach((callId, response) -> {
            int status = UdpProbe.status(response);
            assertTrue(status == 200 || status == 503, response);
            if (status == 503) {
                assertTrue(response.contains("Retry-After: 3"), response);
                assertFalse(routed.contains(callId), "a refused request reached the route: " + callId);
                refused.add(callId);
            }
        });
        assertFalse(refused.isEmpty(), "20 requests of about 500 bytes behind a held thread: some are past 1 KiB");
        assertTrue(refused.size() < REQUESTS, "the last ones have nothing behind them and are served");
        assertEquals(REQUESTS - refused.size(), routed.size(), "every request not refused reached the route once");
    }

    @Test
    void should_refuse_nothing_without_a_bound() throws Exception {
        start(0);
        Map<String, String> answers = sendAtOnce();
        answers.values().forEach(response -> assertEquals(200, UdpProbe.status(response), response));
        assertEquals(REQUESTS, routed.size());
    }

    /** Writes all the requests in one go on one connection, then reads one final answer each, by Call-ID. */
    private Map<String, String> sendAtOnce() throws IOException {
        try (UdpProbe texts = new UdpProbe(); Socket tcp = new Socket("127.0.0.1", port)) {
            tcp.setSoTimeout(20_000);
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < REQUESTS; i++) {
                all.append(texts.message("sip:bob@127.0.0.1", port, "", "request " + i + " " + "x".repeat(200))
                        .replace("SIP/2.0/UDP 127.0.0.1:" + texts.port(), "SIP/2.0/TCP 127.0.0.1:" + tcp.getLocalPort())
                        .replace("\n", "\r\n"));
            }
            tcp.getOutputStream().write(all.toString().getBytes(StandardCharsets.UTF_8));
            Map<String, String> answers = new HashMap<>();
            InputStream in = tcp.getInputStream();
            while (answers.size() < REQUESTS) {
                String response = readMessage(in);
                String callId = UdpProbe.headerValues(response, "Call-ID").get(0);
                assertEquals(null, answers.put(callId, response), "two answers to " + callId);
            }
            return answers;
        }
    }

    /** One message off the stream, framed by its Content-Length. */
    private static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes of a head");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        List<String> length = UdpProbe.headerValues(text, "Content-Length");
        int body = length.isEmpty() ? 0 : Integer.parseInt(length.get(0).trim());
        return text + new String(in.readNBytes(body), StandardCharsets.ISO_8859_1);
    }
}
