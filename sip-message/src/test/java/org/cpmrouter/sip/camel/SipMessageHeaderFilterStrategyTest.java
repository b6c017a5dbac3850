package org.cpmrouter.sip.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.sip.message.Request;

import gov.nist.javax.sip.message.SIPRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.cpmrouter.sip.ReceivedRequests;
import org.cpmrouter.sip.SipNode;
import org.cpmrouter.sip.SipNodeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The header filtering of the binding as a {@link HeaderFilterStrategy}: the default strategy decides exactly as the
 * binding's fixed rules did before it was one, and a strategy named on the component or the endpoint is the one
 * the binding applies, both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipMessageHeaderFilterStrategyTest {

    @RegisterExtension
    static final SipCamelContextExtension SIP = new SipCamelContextExtension();

    private final HeaderFilterStrategy defaults = new SipMessageHeaderFilterStrategy();
    private CamelContext context;
    private SipNode node;

    @BeforeAll
    void start() throws Exception {
        context = SIP.context();
        context.getRegistry().bind("dropConversation", dropping("Conversation-ID"));
        node = SipNode.start(new SipNodeConfig("127.0.0.1", 0, List.of("udp"), Set.of("MESSAGE"), 1, null));
    }

    @AfterAll
    void stop() {
        node.close();
    }

    /** The binding's rule before the strategy, kept here as the reference the default must match. */
    private static boolean wasWireHeader(String name) {
        Set<String> stack = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        stack.addAll(List.of("Via", "Content-Length", "Record-Route"));
        if (name == null || name.isEmpty() || name.regionMatches(true, 0, "Camel", 0, 5)
                || name.startsWith("org.apache.camel.")) {
            return false;
        }
        return name.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || "-.!%*_+`'~".indexOf(c) >= 0)
                && !stack.contains(name);
    }

    private static HeaderFilterStrategy dropping(String name) {
        DefaultHeaderFilterStrategy strategy = new SipMessageHeaderFilterStrategy();
        strategy.setOutFilter(Set.of("Via", "Content-Length", "Record-Route", name));
        strategy.setInFilter(Set.of("Via", "Content-Length", "Record-Route", name));
        return strategy;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Conversation-ID", "P-Asserted-Identity", "X-Odd", "Supported", "Route", "Contact",
        "Via", "via", "VIA", "Content-Length", "content-length", "Record-Route", "record-route",
        "CamelSipStatusCode", "camelInternal", "CAMELX", "Camel", "org.apache.camel.foo", "org.apache.camelX",
        "Name With Space", "a:b", "X-Ümlaut", "weird!%*_+`'~.-name", "", "Cam"})
    void should_let_out_exactly_what_the_binding_let_out_before_when_the_strategy_is_the_default(String name) {
        assertEquals(!wasWireHeader(name), defaults.applyFilterToCamelHeaders(name, "value", null), name);
        assertEquals(wasWireHeader(name), SipMessageBinding.isWireHeader(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Via", "via", "Content-Length", "CONTENT-LENGTH", "Record-Route"})
    void should_keep_the_stack_headers_off_the_exchange_when_the_strategy_is_the_default(String name) {
        assertTrue(defaults.applyFilterToExternalHeaders(name, "value", null), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Conversation-ID", "Route", "From", "Contact", "CamelLooking", "Max-Forwards"})
    void should_let_every_other_received_header_in_when_the_strategy_is_the_default(String name) {
        assertFalse(defaults.applyFilterToExternalHeaders(name, "value", null), name);
    }

    @Test
    void should_map_a_received_request_as_before_when_the_strategy_is_the_default() throws Exception {
        Request request = ReceivedRequests.parse(RelayPathBench.datagramText(node.port()).getBytes(StandardCharsets.UTF_8));
        Message message = new DefaultExchange(context).getMessage();
        SipMessageBinding.toCamel(ReceivedRequests.incoming(node, request, 5099), message);
        assertNull(message.getHeader("Via"));
        assertNull(message.getHeader("Content-Length"));
        assertNull(message.getHeader("Route"), "the Route naming this node is consumed");
        assertEquals("4f93f0fe-86d6-462c-9ba2-e4bc3d1cafcc", message.getHeader("Conversation-ID"));
    }

    @Test
    void should_apply_a_custom_strategy_both_ways_when_the_binding_is_given_one() throws Exception {
        HeaderFilterStrategy custom = dropping("Conversation-ID");
        Request request = ReceivedRequests.parse(RelayPathBench.datagramText(node.port()).getBytes(StandardCharsets.UTF_8));
        Message in = new DefaultExchange(context).getMessage();
        SipMessageBinding.toCamel(ReceivedRequests.incoming(node, request, 5099), in, custom);
        assertNull(in.getHeader("Conversation-ID"), "filtered on the way in");
        assertEquals("94d850fb-ed40-437e-9609-de9ea0e393d9", in.getHeader("Contribution-ID"));

        Message out = new DefaultExchange(context).getMessage();
        out.setHeader(SipMessageConstants.REQUEST_URI, "sip:bob@127.0.0.1:5090");
        out.setHeader("From", "<sip:alice@cpm.example.com>");
        out.setHeader("Conversation-ID", "conv-1");
        out.setHeader("Contribution-ID", "contrib-1");
        String byDefault = wire(SipMessageBinding.toRequest(out, node, "udp"));
        String filtered = wire(SipMessageBinding.toRequest(out, node, "udp", null, custom));
        assertTrue(byDefault.contains("Conversation-ID: conv-1"), byDefault);
        assertFalse(filtered.contains("Conversation-ID"), filtered);
        assertTrue(filtered.contains("Contribution-ID: contrib-1"), filtered);
    }

    @Test
    void should_give_endpoints_the_component_strategy_unless_the_uri_names_one() {
        SipMessageComponent component = context.getComponent("sip-message", SipMessageComponent.class);
        assertInstanceOf(SipMessageHeaderFilterStrategy.class, component.getHeaderFilterStrategy());
        SipMessageEndpoint plain = context.getEndpoint("sip-message:127.0.0.1:9", SipMessageEndpoint.class);
        assertSame(component.getHeaderFilterStrategy(), plain.getHeaderFilterStrategy());
        SipMessageEndpoint named = context.getEndpoint("sip-message:127.0.0.1:9?headerFilterStrategy=#dropConversation",
                SipMessageEndpoint.class);
        assertSame(context.getRegistry().lookupByName("dropConversation"), named.getHeaderFilterStrategy());
    }

    private static String wire(Request request) {
        return new String(((SIPRequest) request).encodeAsBytes("udp"), StandardCharsets.UTF_8);
    }
}
