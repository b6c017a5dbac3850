package org.cpmrouter.smpp.testpeer;

import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.cpmrouter.smpp.SmppStatus;

/**
 * The {@code cpm-smsc} command line: a standalone SMSC test peer, and handset simulators that talk to it.
 *
 * <pre>
 * cpm-smsc serve  [--port 2775] [--system-id cpmrouter] [--password secret]
 * cpm-smsc send   --from +15559990000 --to +15551230002 "text" [--smsc 127.0.0.1:2775]
 * cpm-smsc listen --number +15559990000 [--smsc 127.0.0.1:2775]
 * </pre>
 *
 * A test tool: unlike the router, it prints the texts it sees.
 */
public final class SmscTestPeerCli {

    static final String DEFAULT_SMSC = "127.0.0.1:2775";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** A handset's requests wait longer than the peer's own deliver_sm to the application (10 s). */
    private static final long HANDSET_TIMEOUT_MS = 15_000;

    private final PrintStream out;
    private final PrintStream err;

    SmscTestPeerCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new SmscTestPeerCli(System.out, System.err).run(args));
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        try {
            Options options = Options.parse(args);
            switch (options.command) {
                case "serve":
                    return serve(options);
                case "send":
                    return send(options);
                case "listen":
                    return listen(options);
                default:
                    throw new IllegalArgumentException("unknown command '" + options.command
                            + "' (serve, send or listen)");
            }
        } catch (IllegalArgumentException e) {
            err.println("cpm-smsc: " + e.getMessage() + " (cpm-smsc --help lists the options)");
            return 2;
        } catch (IOException e) {
            err.println("cpm-smsc: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int serve(Options o) throws IOException, InterruptedException {
        o.allowOnly("host", "port", "system-id", "password");
        String host = o.value("host", "127.0.0.1");
        int port = o.intValue("port", 2775);
        String systemId = o.value("system-id", "cpmrouter");
        SmscTestPeer peer = SmscTestPeer.start(host, port, systemId, o.value("password", "secret"));
        Map<String, List<SubmittedSms>> partial = new LinkedHashMap<>();
        peer.onBind(bind -> out.println(stamp() + (bind.accepted() ? "bound " : "refused bind of ")
                + (SmscTestPeer.HANDSET_SYSTEM_ID.equals(bind.systemId()) ? "handset " + bind.addressRange()
                        : "application " + bind.systemId())
                + (bind.accepted() ? "" : ": " + SmppStatus.describe(bind.commandStatus()))));
        peer.onSubmitted(part -> printWhenWhole(part, partial));
        peer.onRelayed(mo -> out.println(stamp() + "MO  " + mo.from() + " -> " + mo.to()
                + (mo.parts() > 1 ? " part " + mo.part() + "/" + mo.parts() : "") + ": " + mo.text()
                + "  => application answered " + SmppStatus.describe(mo.commandStatus())));
        out.println("SMSC test peer listening on " + host + ":" + peer.port() + " (application system_id "
                + systemId + "; handsets bind with system_id " + SmscTestPeer.HANDSET_SYSTEM_ID
                + " and their number as address_range). Ctrl-C to stop.");
        awaitShutdown(peer::close);
        return 0;
    }

    /** One line per SMS from the application, once all its parts are here. */
    private void printWhenWhole(SubmittedSms part, Map<String, List<SubmittedSms>> partial) {
        List<SubmittedSms> parts;
        synchronized (partial) {
            if (!part.concatenated()) {
                parts = List.of(part);
            } else {
                String key = part.source() + "|" + part.destination() + "|" + part.concatReference();
                parts = partial.computeIfAbsent(key, k -> new ArrayList<>());
                parts.add(part);
                if (parts.size() < part.concatTotal()) {
                    return;
                }
                partial.remove(key);
                parts.sort((a, b) -> Integer.compare(a.concatSequence(), b.concatSequence()));
            }
        }
        StringBuilder text = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (SubmittedSms p : parts) {
            text.append(p.text());
            ids.add(p.messageId());
        }
        out.println(stamp() + "SMS " + part.source() + " -> " + part.destination() + " ("
                + (part.dataCoding() == 8 ? "UCS-2" : "GSM 7-bit") + ", " + parts.size() + " part(s), id "
                + String.join(",", ids) + "): " + text);
    }

    private int send(Options o) throws IOException {
        o.allowOnly("from", "to", "smsc");
        String from = o.require("from");
        String to = o.require("to");
        if (String.join("", o.positional).isBlank()) {
            throw new IllegalArgumentException("send needs the text, e.g. send --from +15559990000 --to +15551230002"
                    + " \"Hi\"; an empty SMS is not sent");
        }
        String text = String.join(" ", o.positional);
        String[] smsc = o.smsc();
        try (HandsetClient handset = bind(smsc, from)) {
            int status = handset.send(to, text);
            if (status == SmppStatus.ESME_ROK) {
                out.println(SmppStatus.describe(status) + " - accepted for " + to);
                return 0;
            }
            out.println(SmppStatus.describe(status) + " - not accepted for " + to);
            return 1;
        }
    }

    private int listen(Options o) throws IOException, InterruptedException {
        o.allowOnly("number", "smsc");
        String number = o.require("number");
        String[] smsc = o.smsc();
        HandsetClient handset = bind(smsc, number);
        handset.onSms(sms -> out.println(stamp() + sms.from() + ": " + sms.text()));
        out.println("Listening as handset " + handset.number() + " on the SMSC at " + smsc[0] + ":" + smsc[1]
                + " (Ctrl-C to stop)");
        awaitShutdown(handset::close);
        return 0;
    }

    /** Binds as a handset; a test peer that does not answer is named with its address. */
    private static HandsetClient bind(String[] smsc, String number) throws IOException {
        try {
            return HandsetClient.bind(smsc[0], Integer.parseInt(smsc[1]), number, HANDSET_TIMEOUT_MS);
        } catch (IOException e) {
            throw new IOException("cannot bind to the SMSC test peer at " + smsc[0] + ":" + smsc[1] + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is it running? cpm-smsc serve, or a router with cpm.smsc.embedded-test-peer; --smsc HOST:PORT)",
                    e);
        }
    }

    private static void awaitShutdown(Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "cpm-smsc-shutdown"));
        stopped.await();
    }

    private static String stamp() {
        return "[" + LocalTime.now().format(CLOCK) + "] ";
    }

    private static void usage(PrintStream s) {
        s.println("usage: cpm-smsc serve  [--port 2775] [--system-id cpmrouter] [--password secret] [--host 127.0.0.1]");
        s.println("       cpm-smsc send   --from +15559990000 --to +15551230002 [--smsc HOST:PORT] TEXT...");
        s.println("       cpm-smsc listen --number +15559990000 [--smsc HOST:PORT]");
        s.println();
        s.println("  serve    runs an SMSC test peer (not a production SMSC) and prints each SMS it gets");
        s.println("  send     binds as the handset --from and sends an SMS (mobile-originated) to --to");
        s.println("  listen   binds as the handset --number and prints each SMS that reaches it");
        s.println("  --smsc   the test peer's address (default " + DEFAULT_SMSC + ")");
    }

    private static final class Options {
        private static final List<String> KNOWN = List.of("host", "port", "system-id", "password", "from", "to",
                "smsc", "number");

        String command;
        final Map<String, String> named = new HashMap<>();
        final List<String> positional = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            o.command = args[0];
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.startsWith("--")) {
                    if (!KNOWN.contains(a.substring(2))) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new IllegalArgumentException("option " + a + " needs a value");
                    }
                    o.named.put(a.substring(2), args[++i]);
                } else {
                    o.positional.add(a);
                }
            }
            return o;
        }

        /** Refuses an option of another command, naming it. */
        void allowOnly(String... own) {
            for (String name : named.keySet()) {
                if (!List.of(own).contains(name)) {
                    throw new IllegalArgumentException(command + " takes no --" + name);
                }
            }
        }

        String require(String name) {
            String v = named.get(name);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(command + " needs --" + name);
            }
            return v;
        }

        String value(String name, String fallback) {
            return named.getOrDefault(name, fallback);
        }

        int intValue(String name, int fallback) {
            String v = named.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, not '" + v + "'");
            }
        }

        /** {@code --smsc HOST:PORT} as host and port. */
        String[] smsc() {
            String value = value("smsc", DEFAULT_SMSC);
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || !value.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("--smsc must be HOST:PORT, not '" + value + "'");
            }
            return new String[] {value.substring(0, colon), value.substring(colon + 1)};
        }
    }
}
