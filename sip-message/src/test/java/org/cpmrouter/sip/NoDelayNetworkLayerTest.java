package org.cpmrouter.sip;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Properties;

import javax.sip.SipFactory;
import javax.sip.SipStack;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NoDelayNetworkLayerTest {

    private SipStack stack;

    @BeforeEach
    void createStack() throws Exception {
        Properties props = new Properties();
        props.setProperty("javax.sip.STACK_NAME", "no-delay-test");
        props.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        props.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        stack = factory.createSipStack(props);
    }

    @AfterEach
    void stopStack() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void should_switch_nagle_off_on_the_connections_the_stack_accepts_and_opens() throws Exception {
        NoDelayNetworkLayer.install(stack);
        NetworkLayer layer = ((SIPTransactionStack) stack).getNetworkLayer();
        assertInstanceOf(NoDelayNetworkLayer.class, layer);

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = layer.createServerSocket(0, 5, loopback);
             Socket opened = layer.createSocket(loopback, server.getLocalPort(), loopback, 0);
             Socket accepted = server.accept()) {
            assertTrue(opened.getTcpNoDelay(), "a connection the stack opens");
            assertTrue(accepted.getTcpNoDelay(), "a connection the stack accepts");
        }
    }

    @Test
    void should_install_once() {
        NoDelayNetworkLayer.install(stack);
        NetworkLayer first = ((SIPTransactionStack) stack).getNetworkLayer();
        NoDelayNetworkLayer.install(stack);
        assertSame(first, ((SIPTransactionStack) stack).getNetworkLayer());
    }
}
