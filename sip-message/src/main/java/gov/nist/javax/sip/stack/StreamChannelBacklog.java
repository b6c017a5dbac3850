package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import java.util.List;

import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.Pipeline;
import gov.nist.javax.sip.parser.PipelinedMsgParser;

/**
 * What a TCP or TLS connection of the JAIN-SIP RI has received and not yet parsed, seen from the thread that is
 * parsing one of its messages, and a way to answer on that connection. The RI's reading thread copies everything it
 * reads into the connection's {@code Pipeline}, a list of the reads without a bound, and one thread parses and
 * dispatches from it; the CPM Router's overload control refuses a new request that has too much waiting behind it
 * (see {@code org.cpmrouter.sip.EarlyRefusalParserFactory}). It lives in the RI's package for the channel's parser
 * and socket, which the RI offers to its own package; the pipeline's list and its buffers' positions are private
 * and read by reflection, checked once: an RI without them gives -1, and nothing is refused for a backlog.
 */
public final class StreamChannelBacklog {

    private static final Field PIPELINE = field(PipelinedMsgParser.class, "rawInputStream");
    private static final Field READS = field(Pipeline.class, "buffList");
    private static final Field CURRENT = field(Pipeline.class, "currentBuffer");
    private static final Field LENGTH = field(bufferClass(), "length");
    private static final Field POSITION = field(bufferClass(), "ptr");
    private static final boolean READABLE = PIPELINE != null && READS != null && CURRENT != null && LENGTH != null
            && POSITION != null;

    private StreamChannelBacklog() {
    }

    /** Whether {@code listener} (the channel a message is being parsed for) is a TCP or TLS connection's. */
    public static boolean isStream(ParseExceptionListener listener) {
        return listener instanceof ConnectionOrientedMessageChannel;
    }

    /**
     * The bytes the connection of {@code listener} has received and not yet parsed, counted up to {@code cap} (the
     * count stops there: under overload the list is long, and past the cap the answer is the same); -1 when
     * {@code listener} is not a connection's channel or this RI's pipeline cannot be read.
     */
    public static int unreadBytes(ParseExceptionListener listener, int cap) {
        if (!READABLE || !(listener instanceof ConnectionOrientedMessageChannel channel)) {
            return -1;
        }
        try {
            PipelinedMsgParser parser = channel.myParser;
            Object pipeline = parser == null ? null : PIPELINE.get(parser);
            if (pipeline == null) {
                return -1;
            }
            List<?> reads = (List<?>) READS.get(pipeline);
            // the RI's reading thread adds to the list and its parsing thread takes from it under this lock
            synchronized (reads) {
                long unread = left(CURRENT.get(pipeline));
                for (Object read : reads) {
                    if (unread > cap) {
                        break;
                    }
                    unread += left(read);
                }
                return (int) Math.min(unread, cap);
            }
        } catch (IllegalAccessException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Writes {@code bytes} (a whole SIP message) on the connection of {@code listener}, holding the lock the RI's
     * own writes to that socket hold (its output stream), so that the message does not interleave with theirs. Not
     * through the channel's send, which finds the socket in the RI's connection cache by the peer's address: an
     * accepted connection is put there only once a message of it has been processed, so a refusal of its first
     * request would open a new connection to the client's source port instead.
     */
    public static void send(ParseExceptionListener listener, byte[] bytes) throws IOException {
        Socket socket = ((ConnectionOrientedMessageChannel) listener).mySock;
        if (socket == null) {
            throw new IOException("the connection has no socket");
        }
        OutputStream out = socket.getOutputStream();
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private static long left(Object buffer) throws IllegalAccessException {
        return buffer == null ? 0 : Math.max(0, LENGTH.getInt(buffer) - POSITION.getInt(buffer));
    }

    private static Class<?> bufferClass() {
        try {
            return Class.forName("gov.nist.javax.sip.parser.Pipeline$Buffer");
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Field field(Class<?> owner, String name) {
        if (owner == null) {
            return null;
        }
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
