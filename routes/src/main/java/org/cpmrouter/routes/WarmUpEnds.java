package org.cpmrouter.routes;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The two ends of the startup warm-up on loopback, over UDP or TCP: a {@link Client} that sends MESSAGEs to the
 * router and reads its answers, and a {@link Device}, the recipient's client, that answers every MESSAGE the router
 * delivers to it. Over TCP a message is framed by its Content-Length (RFC 3261 section 18.3), the answers come back
 * on the connection the request went out on, and the router opens its own connection to the device, as it does to a
 * client registered with {@code transport=tcp}.
 */
final class WarmUpEnds {

    /** How long a client waits for an answer before it looks at its clock again. */
    static final int POLL_MS = 20;
    /** How long a device waits for a request before it looks whether it was closed. */
    private static final int DEVICE_POLL_MS = 50;
    /** A warm-up message is under 1 KB; a stream that holds more than this without a whole message is broken. */
    private static final int MAX_MESSAGE = 64 * 1024;

    private WarmUpEnds() {
    }

    /** The transports the warm-up can run over, as {@code cpm.sip.transports} names them. */
    enum Transport {
        UDP, TCP;

        /** The parameter a contact at this transport carries (none for UDP, the default). */
        String contactParameter() {
            return this == UDP ? "" : ";transport=" + name().toLowerCase(Locale.ROOT);
        }

        /** The transports of {@code configured} the warm-up runs over, UDP first. */
        static List<Transport> of(List<String> configured) {
            return Arrays.stream(values())
                    .filter(t -> configured.stream().anyMatch(name -> name.equalsIgnoreCase(t.name()))).toList();
        }
    }

    /** A warm-up client: one socket (or connection) of its own to the router. */
    interface Client extends Closeable {

        Transport transport();

        int localPort();

        void send(byte[] wire) throws IOException;

        /** The next message from the router, or null when none came within {@link #POLL_MS} ms. */
        String receive() throws IOException;
    }

    /** The recipient's client: answers every MESSAGE with what {@code answer} makes of it, until closed. */
    interface Device extends Closeable {

        Transport transport();

        int port();
    }

    static Client client(Transport transport, InetSocketAddress router) throws IOException {
        return transport == Transport.UDP ? new UdpClient(router) : new TcpClient(router);
    }

    static Device device(Transport transport, InetAddress loopback, UnaryOperator<String> answer) throws IOException {
        return transport == Transport.UDP ? new UdpDevice(loopback, answer) : new TcpDevice(loopback, answer);
    }

    private static final class UdpClient implements Client {

        private final DatagramSocket socket;
        private final InetSocketAddress router;
        private final byte[] buffer = new byte[8192];
        private final DatagramPacket in = new DatagramPacket(buffer, buffer.length);

        UdpClient(InetSocketAddress router) throws IOException {
            this.router = router;
            this.socket = new DatagramSocket(new InetSocketAddress(router.getAddress(), 0));
            socket.setSoTimeout(POLL_MS);
        }

        @Override
        public Transport transport() {
            return Transport.UDP;
        }

        @Override
        public int localPort() {
            return socket.getLocalPort();
        }

        @Override
        public void send(byte[] wire) throws IOException {
            socket.send(new DatagramPacket(wire, wire.length, router));
        }

        @Override
        public String receive() throws IOException {
            try {
                socket.receive(in);
            } catch (SocketTimeoutException idle) {
                return null;
            }
            return new String(buffer, 0, in.getLength(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class TcpClient implements Client {

        private final Socket socket;
        private final InputStream in;
        private final Framer framer = new Framer();

        TcpClient(InetSocketAddress router) throws IOException {
            socket = new Socket();
            try {
                socket.bind(new InetSocketAddress(router.getAddress(), 0));
                socket.connect(router, 2000);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(POLL_MS);
                in = socket.getInputStream();
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }

        @Override
        public Transport transport() {
            return Transport.TCP;
        }

        @Override
        public int localPort() {
            return socket.getLocalPort();
        }

        @Override
        public void send(byte[] wire) throws IOException {
            socket.getOutputStream().write(wire);
        }

        @Override
        public String receive() throws IOException {
            return framer.next(in);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final class UdpDevice implements Device {

        private final DatagramSocket socket;
        private final Thread thread;

        UdpDevice(InetAddress loopback, UnaryOperator<String> answer) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
            socket.setSoTimeout(DEVICE_POLL_MS);
            thread = daemon("cpm-warm-up-client-udp", () -> {
                byte[] buffer = new byte[8192];
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                while (!socket.isClosed()) {
                    try {
                        socket.receive(in);
                        String reply = answer.apply(new String(buffer, 0, in.getLength(), StandardCharsets.UTF_8));
                        if (reply != null) {
                            byte[] wire = reply.getBytes(StandardCharsets.UTF_8);
                            socket.send(new DatagramPacket(wire, wire.length, in.getSocketAddress()));
                        }
                    } catch (SocketTimeoutException idle) {
                        // look whether it was closed
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        @Override
        public Transport transport() {
            return Transport.UDP;
        }

        @Override
        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
            thread.interrupt();
        }
    }

    /** Accepts the router's connections, one thread each (the router opens one, or a few after a failure). */
    private static final class TcpDevice implements Device {

        private final ServerSocket listener;
        private final List<Socket> connections = new CopyOnWriteArrayList<>();
        private final Thread accepting;

        TcpDevice(InetAddress loopback, UnaryOperator<String> answer) throws IOException {
            listener = new ServerSocket(0, 16, loopback);
            accepting = daemon("cpm-warm-up-client-tcp", () -> {
                while (!listener.isClosed()) {
                    try {
                        Socket connection = listener.accept();
                        connections.add(connection);
                        daemon("cpm-warm-up-client-tcp-" + connection.getPort(), () -> serve(connection, answer));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private static void serve(Socket connection, UnaryOperator<String> answer) {
            Framer framer = new Framer();
            try (connection) {
                connection.setTcpNoDelay(true);
                connection.setSoTimeout(DEVICE_POLL_MS);
                InputStream in = connection.getInputStream();
                while (!connection.isClosed()) {
                    String request = framer.next(in);
                    String reply = request == null ? null : answer.apply(request);
                    if (reply != null) {
                        connection.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException closed) {
                // the router closed the connection, or the device was closed
            }
        }

        @Override
        public Transport transport() {
            return Transport.TCP;
        }

        @Override
        public int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            accepting.interrupt();
            for (Socket connection : connections) {
                connection.close();
            }
        }
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Cuts SIP messages out of a stream: the head up to its empty line, then Content-Length bytes of body. Bytes of a
     * message not yet whole stay for the next call; CRLFs between messages (keep-alives) are skipped.
     */
    static final class Framer {

        private byte[] buffer = new byte[4096];
        private int length;

        /**
         * The next whole message, or null when the stream had no more for now (its read timed out).
         *
         * @throws EOFException when the stream ended
         * @throws IOException when a message has no Content-Length or is larger than {@link #MAX_MESSAGE}
         */
        String next(InputStream in) throws IOException {
            while (true) {
                String message = take();
                if (message != null) {
                    return message;
                }
                if (length == buffer.length) {
                    if (buffer.length >= MAX_MESSAGE) {
                        throw new IOException("no whole SIP message in " + length + " bytes of the stream");
                    }
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                int read;
                try {
                    read = in.read(buffer, length, buffer.length - length);
                } catch (SocketTimeoutException idle) {
                    return null;
                }
                if (read < 0) {
                    throw new EOFException("the connection was closed");
                }
                length += read;
            }
        }

        private String take() throws IOException {
            int start = 0;
            while (start + 1 < length && buffer[start] == '\r' && buffer[start + 1] == '\n') {
                start += 2;
            }
            int headEnd = -1;
            for (int i = start; i + 3 < length; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    headEnd = i + 4;
                    break;
                }
            }
            if (headEnd < 0) {
                drop(start);
                return null;
            }
            String head = new String(buffer, start, headEnd - start, StandardCharsets.UTF_8);
            String declared = StartupWarmUp.header(head, "Content-Length", "l");
            if (declared == null || !declared.matches("\\d{1,5}")) {
                throw new IOException("a SIP message over TCP without a usable Content-Length: " + declared);
            }
            int end = headEnd + Integer.parseInt(declared);
            if (end > length) {
                drop(start);
                return null;
            }
            String message = new String(buffer, start, end - start, StandardCharsets.UTF_8);
            drop(end);
            return message;
        }

        private void drop(int count) {
            System.arraycopy(buffer, count, buffer, 0, length - count);
            length -= count;
        }
    }
}
