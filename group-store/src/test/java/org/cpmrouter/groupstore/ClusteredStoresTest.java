package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.remoting.transport.Address;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;
import org.jgroups.protocols.TP;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@link CpmDataStores} nodes in one JVM, started from the shipped {@code config/infinispan-cluster.xml} on two
 * data directories, form one cluster over JGroups on 127.0.0.1 and see each other's writes. Each run uses its own
 * cluster name and a free base port, so it cannot join (or be joined by) anything else on the machine.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusteredStoresTest {

    private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(20);
    private static final String[] PROPERTIES = {"cpm.cluster.name", "cpm.cluster.port", "cpm.cluster.join-timeout"};

    @TempDir
    Path tmp;

    private final List<CpmDataStores> nodes = new ArrayList<>();

    @BeforeEach
    void isolateCluster() throws IOException {
        System.setProperty("cpm.cluster.name", "cpm-test-" + UUID.randomUUID());
        System.setProperty("cpm.cluster.port", Integer.toString(freeLoopbackPort()));
        System.setProperty("cpm.cluster.join-timeout", "500ms"); // the first node waits this long for a coordinator
    }

    @AfterEach
    void stopNodes() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        for (String property : PROPERTIES) {
            System.clearProperty(property);
        }
    }

    @Test
    void should_refuse_on_node_2_the_source_banned_on_node_1_and_lift_it_everywhere() {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        awaitMembers(2, node1, node2);
        List<String> seenOnNode2 = new java.util.concurrent.CopyOnWriteArrayList<>();
        node2.bans().watch(seenOnNode2::add);
        long now = System.currentTimeMillis();
        Ban ban = new Ban("127.0.0.2", "auth-failures", 20, now, now + 300_000);

        node1.bans().ban(ban);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node2.bans().find("127.0.0.2").isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the ban is written asynchronously
        }
        assertEquals(Optional.of(ban), node2.bans().find("127.0.0.2"));
        assertEquals(List.of("127.0.0.2"), seenOnNode2, "node 2 hears of the ban node 1 set");
        assertTrue(node2.bans().lift("127.0.0.2"));
        assertEquals(Optional.empty(), node1.bans().find("127.0.0.2"));
    }

    @Test
    void should_settle_on_node_2_the_sms_receipt_awaited_on_node_1_once() {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        awaitMembers(2, node1, node2);
        AwaitedSmsReceipt awaited = new AwaitedSmsReceipt("c1", "sip:alice@cpm.example.com", "tel:+15559990000", "m1",
                List.of("positive-delivery"), null, List.of("0A", "0B"), Long.MAX_VALUE / 2);

        node1.smsReceipts().expect(awaited);

        assertEquals(Optional.empty(), node2.smsReceipts().settle("0A", true));
        assertEquals(Optional.of(awaited), node2.smsReceipts().settle("0B", true));
        assertEquals(Optional.empty(), node1.smsReceipts().settle("0B", true), "reported once, on either node");
    }

    @Test
    void should_give_node_2_the_messages_held_on_node_1_in_order_and_forget_them_everywhere_once_removed() {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        awaitMembers(2, node1, node2);
        DeferredMessageStore.Limits limits = new DeferredMessageStore.Limits(10, 1_000_000);

        node1.deferred().hold(DeferredMessageStoreContract.message("sip:carol@cpm.example.com", "one", Long.MAX_VALUE / 2),
                limits);
        node1.deferred().hold(DeferredMessageStoreContract.message("sip:carol@cpm.example.com", "two", Long.MAX_VALUE / 2),
                limits);

        List<HeldMessage> onNode2 = node2.deferred().heldFor("sip:carol@cpm.example.com");
        assertEquals(List.of("id-one", "id-two"), onNode2.stream().map(HeldMessage::messageId).toList());
        node2.deferred().remove("sip:carol@cpm.example.com", onNode2.get(0).sequence());
        assertEquals(1, node1.deferred().summary("sip:carol@cpm.example.com").count());
    }

    @Test
    void should_let_exactly_one_survivor_take_over_each_fan_out_of_a_node_that_left_without_its_answered_members()
            throws Exception {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        CpmDataStores node3 = startNode("node3");
        awaitMembers(3, node1, node2, node3);
        List<String> members = List.of("sip:bob@cpm.example.com", "sip:carol@cpm.example.com",
                "sip:dave@cpm.example.com");
        for (int i = 0; i < 20; i++) {
            node1.pendingFanOuts().save(new PendingFanOut("fan-" + i + "@cpm.example.com", "sip:family@cpm.example.com",
                    "sip:alice@cpm.example.com", List.of("Content-Type: message/cpim"), new byte[] {1, 2, 3}, members));
            node1.pendingFanOuts().answered("fan-" + i + "@cpm.example.com", "sip:bob@cpm.example.com");
        }
        assertEquals(List.of(), node2.pendingFanOuts().orphaned(), "node 1 is alive: nothing to take");
        java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(2);
        node2.node().onMembersLeft(told::countDown);
        node3.node().onMembersLeft(told::countDown);

        node1.close();
        nodes.remove(node1);

        assertTrue(told.await(20, TimeUnit.SECONDS), "both survivors are told a member left");
        assertEquals(20, node2.pendingFanOuts().orphaned().size());
        List<Callable<List<PendingFanOut>>> survivors = new ArrayList<>();
        for (CpmDataStores survivor : List.of(node2, node3)) {
            survivors.add(() -> survivor.pendingFanOuts().orphaned().stream()
                    .map(o -> survivor.pendingFanOuts().takeOver(o)).flatMap(Optional::stream).toList());
        }
        List<List<PendingFanOut>> taken = Concurrently.run(2, survivors);

        List<String> ids = new ArrayList<>();
        taken.forEach(list -> list.forEach(p -> ids.add(p.id())));
        assertEquals(20, ids.size(), "each record taken once: " + ids);
        assertEquals(20, new HashSet<>(ids).size(), "no record taken twice: " + ids);
        for (List<PendingFanOut> list : taken) {
            for (PendingFanOut p : list) {
                assertEquals(List.of("sip:carol@cpm.example.com", "sip:dave@cpm.example.com"), p.recipients());
            }
        }
        assertEquals(taken.get(0).size(), node2.pendingFanOuts().all().stream()
                .filter(p -> p.owner().equals(node2.node().owner())).count(), "node 3 sees node 2 own what it took");
        assertEquals(List.of(), node3.pendingFanOuts().orphaned());
    }

    @Test
    void should_make_a_node_restarted_with_the_same_name_a_new_owner_so_that_its_earlier_work_is_taken_over() {
        CpmDataStores node1 = startNode("node1", "router-a");
        CpmDataStores node2 = startNode("node2", "router-b");
        awaitMembers(2, node1, node2);
        assertEquals("router-a", node1.node().name());
        assertTrue(node1.node().owner().startsWith("router-a/"), node1.node().owner());
        node1.pendingFanOuts().save(new PendingFanOut("fan@cpm.example.com", "sip:family@cpm.example.com",
                "sip:alice@cpm.example.com", List.of(), new byte[0], List.of("sip:bob@cpm.example.com")));
        String first = node1.node().owner();
        node1.close();
        nodes.remove(node1);
        awaitMembers(1, node2);

        CpmDataStores again = startNode("node1", "router-a");
        awaitMembers(2, again, node2);

        assertTrue(again.node().owner().startsWith("router-a/") && !again.node().owner().equals(first),
                again.node().owner());
        assertFalse(again.node().isAlive(first), "the earlier run of router-a is gone");
        assertEquals(List.of("fan@cpm.example.com"), again.pendingFanOuts().orphaned().stream().map(PendingFanOut::id)
                .toList());
    }

    @Test
    void should_let_one_node_at_a_time_deliver_a_recipients_held_messages_until_it_leaves() {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        awaitMembers(2, node1, node2);
        String carol = "sip:carol@cpm.example.com";

        assertTrue(node1.deferred().claimDelivery(carol, 60_000));
        assertFalse(node2.deferred().claimDelivery(carol, 60_000), "node 1 is delivering carol's messages");
        assertTrue(node1.deferred().claimDelivery(carol, 60_000), "node 1 renews its own claim");
        node1.deferred().releaseDelivery(carol);
        assertTrue(node2.deferred().claimDelivery(carol, 60_000), "released: node 2 may");
        assertFalse(node1.deferred().claimDelivery(carol, 60_000));

        node2.close();
        nodes.remove(node2);
        awaitMembers(1, node1);
        assertTrue(node1.deferred().claimDelivery(carol, 60_000), "the claim of a node that left is taken over");
    }

    @Test
    void should_read_on_node_2_the_group_and_subscriber_written_on_node_1() {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        awaitMembers(2, node1, node2);

        Group family = new Group("sip:family@cpm.example.com", "Family",
                List.of("sip:alice@cpm.example.com", "sip:bob@cpm.example.com"), SendPolicy.MEMBERS_ONLY, List.of(),
                List.of("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"));
        Subscriber alice = new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, false);
        assertTrue(node1.groups().create(family));
        node1.subscribers().save(alice);
        Binding binding = node1.registrations().bind(alice.publicIdentity(), "sip:alice@127.0.0.1:40123", 600, "c-1", 1);

        assertEquals(Optional.of(family), node2.groups().find(family.uri()));
        assertEquals(Optional.of(alice), node2.subscribers().findByIdentity("tel:+15551230001"));
        assertEquals(List.of(binding), node2.registrations().activeBindings(alice.publicIdentity()));

        assertTrue(node2.groups().addMember(family.uri(), "sip:carol@cpm.example.com"));
        assertTrue(node1.groups().isMember(family.uri(), "sip:carol@cpm.example.com"), "change on node 2 seen on node 1");
        assertTrue(node2.groups().delete(family.uri()));
        assertEquals(Optional.empty(), node1.groups().find(family.uri()));

        for (String node : new String[] {"node1", "node2"}) {
            assertTrue(Files.isDirectory(tmp.resolve(node).resolve("groups")), "file store of " + node);
        }
    }

    @Test
    void should_not_answer_on_node_2_from_what_it_read_before_node_1_changed_the_subscriber_or_bindings() {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        awaitMembers(2, node1, node2);
        Subscriber alice = new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, false);
        node1.subscribers().save(alice);
        assertEquals(Optional.of(alice), node2.subscribers().findByIdentity("tel:+15551230001"), "read and kept");
        assertEquals(Optional.empty(), node2.subscribers().findByIdentity("tel:+15551230009"), "absence kept too");

        Subscriber barred = new Subscriber(alice.publicIdentity(), List.of("tel:+15551230009"), true, true);
        node1.subscribers().save(barred);

        assertEquals(Optional.of(barred), node2.subscribers().findByIdentity(alice.publicIdentity()));
        assertEquals(Optional.of(barred), node2.subscribers().findByIdentity("tel:+15551230009"));
        assertEquals(Optional.empty(), node2.subscribers().findByIdentity("tel:+15551230001"), "alias given up");
        assertTrue(node1.subscribers().remove(alice.publicIdentity()));
        assertEquals(Optional.empty(), node2.subscribers().findByIdentity(alice.publicIdentity()));

        String aor = alice.publicIdentity();
        assertEquals(List.of(), node2.registrations().activeBindings(aor), "no binding, kept");
        Binding first = node1.registrations().bind(aor, "sip:alice@127.0.0.1:40123", 600, "c-1", 1);
        assertEquals(List.of(first), node2.registrations().activeBindings(aor));
        Binding second = node1.registrations().bind(aor, "sip:alice@127.0.0.1:40124", 600, "c-2", 1);
        assertEquals(List.of(second, first), node2.registrations().activeBindings(aor));
        assertTrue(node1.registrations().unbind(aor, first.contact()));
        assertEquals(List.of(second), node2.registrations().activeBindings(aor));
        assertEquals(1, node1.registrations().unbindAll(aor));
        assertEquals(List.of(), node2.registrations().activeBindings(aor));
    }

    @Test
    void should_lose_no_member_when_both_nodes_add_members_to_one_group_at_once() throws Exception {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        awaitMembers(2, node1, node2);
        String uri = "sip:crowd@cpm.example.com";
        assertTrue(node1.groups().create(Group.of(uri, "Crowd", List.of())));
        List<Callable<Boolean>> tasks = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String member = "sip:user" + i + "@cpm.example.com";
            GroupStore via = (i % 2 == 0 ? node1 : node2).groups();
            expected.add(member);
            tasks.add(() -> via.addMember(uri, member));
        }

        List<Boolean> added = Concurrently.run(8, tasks);

        assertTrue(added.stream().allMatch(a -> a));
        assertEquals(new HashSet<>(expected), new HashSet<>(node1.groups().members(uri)));
        assertEquals(node1.groups().members(uri), node2.groups().members(uri), "both replicas in the same order");
    }

    @Test
    void should_give_a_restarted_node_the_groups_written_while_it_was_down() {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        awaitMembers(2, node1, node2);
        node1.groups().create(Group.of("sip:before@cpm.example.com", "Before", List.of()));
        node2.close();
        nodes.remove(node2);
        awaitMembers(1, node1);

        node1.groups().create(Group.of("sip:during@cpm.example.com", "During", List.of()));
        CpmDataStores restarted = startNode("node2");
        awaitMembers(2, node1, restarted);

        assertEquals(List.of("sip:before@cpm.example.com", "sip:during@cpm.example.com"),
                restarted.groups().list().stream().map(Group::uri).toList());
    }

    @Test
    void should_bind_every_jgroups_socket_to_loopback_and_discover_without_multicast() {
        CpmDataStores node1 = startNode("node1");
        CpmDataStores node2 = startNode("node2");
        awaitMembers(2, node1, node2);

        int base = Integer.getInteger("cpm.cluster.port");
        List<Integer> ports = new ArrayList<>();
        for (CpmDataStores node : List.of(node1, node2)) {
            JChannel channel = ((JGroupsTransport) GlobalComponentRegistry.componentOf(node.cacheManager(),
                    Transport.class)).getChannel();
            TP transport = channel.getProtocolStack().getTransport();
            IpAddress local = (IpAddress) transport.localPhysicalAddress();
            assertTrue(local.getIpAddress().isLoopbackAddress(), "TCP bound to " + local);
            assertEquals("TCP", transport.getName());
            transport.getLogicalAddressCache().entrySet().forEach(peer -> assertTrue(
                    ((IpAddress) peer.getValue().getVal()).getIpAddress().isLoopbackAddress(), "peer at " + peer));
            List<String> protocols = channel.getProtocolStack().getProtocols().stream().map(Protocol::getName).toList();
            assertTrue(protocols.contains("TCPPING"), protocols.toString());
            assertTrue(protocols.stream().noneMatch(p -> p.equals("MPING") || p.equals("UDP") || p.equals("PING")),
                    "no multicast protocol in " + protocols);
            ports.add(local.getPort());
        }
        // the second node takes the next free port of the range: base + 1 unless another socket of the machine
        // happens to hold it at that moment (an ephemeral port), which a shared CI machine does now and then
        int range = Integer.getInteger("cpm.cluster.port-range", 9);
        assertEquals(base, ports.get(0), "the first node binds the configured port");
        assertTrue(ports.get(1) > base && ports.get(1) <= base + range,
                "the second node took a later port of the range " + base + ".." + (base + range) + ": " + ports);
    }

    private CpmDataStores startNode(String name) {
        return startNode(name, "");
    }

    private CpmDataStores startNode(String name, String nodeName) {
        CpmDataStores node = CpmDataStores.start(TestPaths.INFINISPAN_CLUSTER_XML, tmp.resolve(name),
                java.time.Clock.systemUTC(), nodeName);
        nodes.add(node);
        return node;
    }

    /** Waits, bounded, until every node's view has {@code expected} members. */
    private static void awaitMembers(int expected, CpmDataStores... nodes) {
        long deadline = System.nanoTime() + VIEW_TIMEOUT.toNanos();
        for (CpmDataStores node : nodes) {
            while (true) {
                List<Address> members = node.cacheManager().getMembers();
                if (members != null && members.size() == expected) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("view of " + node.cacheManager().getAddress() + " is " + members + ", expected "
                            + expected + " members within " + VIEW_TIMEOUT);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /** A free TCP port on 127.0.0.1 to start the cluster's port range at. */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
