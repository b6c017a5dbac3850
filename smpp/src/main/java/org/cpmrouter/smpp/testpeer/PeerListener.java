package org.cpmrouter.smpp.testpeer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.jsmpp.DefaultPDUReader;
import org.jsmpp.DefaultPDUSender;
import org.jsmpp.PDUStringException;
import org.jsmpp.SynchronizedPDUSender;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jSMPP's server listener, bound to one address (jSMPP's own factory listens on every interface) and able to
 * leave a submit_sm unanswered, which is how the test peer plays an SMSC that does not respond.
 */
final class PeerListener extends SMPPServerSessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(PeerListener.class);

    /** A submit_sm answered with a message_id that starts with this gets no submit_sm_resp at all. */
    static final String UNANSWERED = "held-";

    private final ServerSocket socket;
    private final ServerConnection connection;

    private PeerListener(BoundFactory factory) throws IOException {
        super(0, factory);
        this.socket = factory.socket;
        this.connection = factory.connection;
    }

    static PeerListener listen(String host, int port) throws IOException {
        return new PeerListener(new BoundFactory(host, port));
    }

    int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public SMPPServerSession accept() throws IOException {
        Connection accepted = connection.accept();
        accepted.setSoTimeout(getInitiationTimer());
        return new SMPPServerSession(accepted, getSessionStateListener(), getMessageReceiverListener(), null,
                getPduProcessorDegree(), getQueueCapacity(), new HoldingSender(), new DefaultPDUReader());
    }

    /** Opens the server socket on the one address, with SO_REUSEADDR so that a restart gets the same port. */
    private static final class BoundFactory implements ServerConnectionFactory {
        private final ServerSocket socket;
        private final ServerConnection connection;

        BoundFactory(String host, int port) throws IOException {
            socket = new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(host, port));
            } catch (IOException e) {
                socket.close();
                throw new IOException("SMSC test peer cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            connection = new ServerSocketConnection(socket);
        }

        @Override
        public ServerConnection listen(int ignoredPort) {
            return connection;
        }

        @Override
        public ServerConnection listen(int ignoredPort, int timeout) throws IOException {
            connection.setSoTimeout(timeout);
            return connection;
        }

        @Override
        public ServerConnection listen(int ignoredPort, int timeout, int backlog) throws IOException {
            return listen(ignoredPort, timeout);
        }
    }

    /** Sends every PDU as jSMPP does, except the submit_sm_resp of a held submission. */
    private static final class HoldingSender extends SynchronizedPDUSender {
        HoldingSender() {
            super(new DefaultPDUSender());
        }

        @Override
        public byte[] sendSubmitSmResp(OutputStream os, int sequenceNumber, String messageId,
                OptionalParameter... optionalParameters) throws PDUStringException, IOException {
            if (messageId != null && messageId.startsWith(UNANSWERED)) {
                LOG.info("submit_sm sequence {} held: no submit_sm_resp", sequenceNumber);
                return new byte[0];
            }
            return super.sendSubmitSmResp(os, sequenceNumber, messageId, optionalParameters);
        }
    }
}
