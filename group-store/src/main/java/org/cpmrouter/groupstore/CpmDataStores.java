package org.cpmrouter.groupstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.infinispan.Cache;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.cache.StoreConfiguration;
import org.infinispan.configuration.cache.StoreConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.persistence.sifs.configuration.SoftIndexFileStoreConfiguration;
import org.infinispan.persistence.sifs.configuration.SoftIndexFileStoreConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the module: starts the stores, either on embedded Infinispan with file stores under a data
 * directory ({@link #start(Path, Path)}) or purely in memory ({@link #startInMemory()}), and stops them on close.
 */
public final class CpmDataStores implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CpmDataStores.class);

    private final DefaultCacheManager cacheManager; // null when in memory
    private final SubscriberStore subscribers;
    private final RegistrationStore registrations;
    private final GroupStore groups;
    private final PendingFanOutStore pendingFanOuts;
    private final DeferredMessageStore deferred;
    private final SmsReceiptStore smsReceipts;
    private final BanStore bans;
    private volatile boolean closed;
    private final ClusterNode node;

    private CpmDataStores(DefaultCacheManager cacheManager, ClusterNode node, SubscriberStore subscribers,
                          RegistrationStore registrations, GroupStore groups, PendingFanOutStore pendingFanOuts,
                          DeferredMessageStore deferred, SmsReceiptStore smsReceipts, BanStore bans) {
        this.cacheManager = cacheManager;
        this.node = node;
        this.subscribers = subscribers;
        this.registrations = registrations;
        this.groups = groups;
        this.pendingFanOuts = pendingFanOuts;
        this.deferred = deferred;
        this.smsReceipts = smsReceipts;
        this.bans = bans;
    }

    /**
     * Starts embedded Infinispan from an XML configuration, keeping all persistent state under {@code dataDir}.
     *
     * @see #start(Path, Path, Clock)
     */
    public static CpmDataStores start(Path infinispanXml, Path dataDir) {
        return start(infinispanXml, dataDir, Clock.systemUTC());
    }

    /**
     * Starts embedded Infinispan from an XML configuration: the global persistent location is forced to
     * {@code dataDir} (created if missing), relative file-store paths are resolved under it, and the ProtoStream
     * schema of this module is registered. The XML must define the caches {@code subscribers},
     * {@code subscriber-identities}, {@code registrations} and {@code groups}, and should define
     * {@code pending-fanouts} (without it, accepted group messages are kept in memory only). The caches may be local
     * or clustered (see {@code config/infinispan-cluster.xml}); this method returns once the caches have started, which
     * for a joining node means after state transfer from the running members.
     *
     * @param clock time source of the registration store and of the SMS receipt store
     * @throws UncheckedIOException     if the XML cannot be read or the directory cannot be created
     * @throws IllegalArgumentException if a cache is missing or a file store points outside {@code dataDir}
     */
    public static CpmDataStores start(Path infinispanXml, Path dataDir, Clock clock) {
        return start(infinispanXml, dataDir, clock, "");
    }

    /**
     * As {@link #start(Path, Path, Clock)}, naming this node: the name goes into the owner of the work it records
     * ({@link ClusterNode}) and, in a cluster, is its JGroups node name.
     *
     * @param nodeName {@code cpm.cluster.node-name}; blank: the cluster address (clustered) or {@code standalone}
     */
    public static CpmDataStores start(Path infinispanXml, Path dataDir, Clock clock, String nodeName) {
        Objects.requireNonNull(infinispanXml, "infinispanXml");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Path xml = infinispanXml.toAbsolutePath().normalize();
        Path data = dataDir.toAbsolutePath().normalize();
        LOG.info("Starting Infinispan data stores from {} with data directory {}", xml, data);

        ConfigurationBuilderHolder holder;
        try {
            Files.createDirectories(data);
            holder = new ParserRegistry(CpmDataStores.class.getClassLoader()).parse(xml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start data stores from " + xml + " in " + data, e);
        }
        GlobalConfigurationBuilder global = holder.getGlobalConfigurationBuilder();
        global.globalState().enable().persistentLocation(data.toString());
        global.serialization().addContextInitializer(new GroupStoreSchemaImpl());
        if (global.transport().getTransport() != null && nodeName != null && !nodeName.isBlank()) {
            global.transport().nodeName(nodeName.strip());
        }
        Map<String, ConfigurationBuilder> caches = holder.getNamedConfigurationBuilders();
        for (String name : new String[] {InfinispanSubscriberStore.SUBSCRIBERS_CACHE,
                InfinispanSubscriberStore.IDENTITIES_CACHE, InfinispanRegistrationStore.REGISTRATIONS_CACHE,
                InfinispanGroupStore.GROUPS_CACHE}) {
            if (!caches.containsKey(name)) {
                throw new IllegalArgumentException("cache '" + name + "' is not defined in " + xml);
            }
        }
        caches.forEach((name, builder) -> pinFileStores(name, builder, data));

        DefaultCacheManager manager = new DefaultCacheManager(holder, true);
        try {
            Cache<String, SubscriberEntity> subscriberCache = manager.getCache(InfinispanSubscriberStore.SUBSCRIBERS_CACHE);
            Cache<String, String> identityCache = manager.getCache(InfinispanSubscriberStore.IDENTITIES_CACHE);
            Cache<String, RegistrationEntity> registrationCache =
                    manager.getCache(InfinispanRegistrationStore.REGISTRATIONS_CACHE);
            Cache<String, GroupEntity> groupCache = manager.getCache(InfinispanGroupStore.GROUPS_CACHE);
            ClusterNode node = ClusterNode.of(manager, nodeName);
            PendingFanOutStore pending = onCacheOrInMemory(manager, caches,
                    InfinispanPendingFanOutStore.PENDING_FANOUTS_CACHE, xml, "group messages accepted with 202 are kept "
                            + "in memory only and are lost if the router crashes before every member is answered",
                    (Cache<String, Object> c) -> new InfinispanPendingFanOutStore(c, node),
                    () -> new InMemoryPendingFanOutStore(node));
            DeferredMessageStore deferred = onCacheOrInMemory(manager, caches,
                    InfinispanDeferredMessageStore.DEFERRED_CACHE, xml, "messages held for offline recipients (202) "
                            + "are kept in memory only and are lost if the router stops before they are delivered",
                    (Cache<String, Object> c) -> InfinispanDeferredMessageStore.over(c, node),
                    () -> new InMemoryDeferredMessageStore(node));
            SmsReceiptStore smsReceipts = onCacheOrInMemory(manager, caches,
                    InfinispanSmsReceiptStore.SMS_RECEIPTS_CACHE, xml, "SMS awaiting a delivery receipt are remembered "
                            + "in memory only, and a receipt that comes after a restart is not reported to the sender",
                    (Cache<String, SmsReceiptEntity> c) -> new InfinispanSmsReceiptStore(c, clock),
                    () -> new InMemorySmsReceiptStore(clock));
            BanStore bans = onCacheOrInMemory(manager, caches, InfinispanBanStore.BANS_CACHE, xml, "bans of source "
                            + "addresses (failed authentications, floods) are kept by each node alone, not shared with "
                            + "the cluster", (Cache<String, String> c) -> new InfinispanBanStore(c, clock),
                    () -> new InMemoryBanStore(clock));
            if (manager.getCacheManagerConfiguration().isClustered()) {
                LOG.info("Joined cluster '{}' as {} (owner of its work: {}); members {}", manager.getClusterName(),
                        manager.getAddress(), node.owner(), manager.getMembers());
            }
            return new CpmDataStores(manager, node,
                    new InfinispanSubscriberStore(subscriberCache, identityCache),
                    new InfinispanRegistrationStore(registrationCache, clock),
                    new InfinispanGroupStore(groupCache), pending, deferred, smsReceipts, bans);
        } catch (RuntimeException e) {
            manager.stop();
            throw e;
        }
    }

    /**
     * A store on a cache the XML defines or, for a configuration written before that cache existed, one in memory,
     * said once at start with what the operator then loses.
     *
     * @param lost what is lost without the cache, for the warning
     */
    private static <V, S> S onCacheOrInMemory(DefaultCacheManager manager, Map<String, ?> defined, String cacheName,
                                              Path xml, String lost, Function<Cache<String, V>, S> onCache,
                                              Supplier<S> inMemory) {
        if (!defined.containsKey(cacheName)) {
            LOG.warn("cache '{}' is not defined in {}: {}; add it (see the shipped config/infinispan.xml)", cacheName,
                    xml, lost);
            return inMemory.get();
        }
        Cache<String, V> cache = manager.getCache(cacheName);
        return onCache.apply(cache);
    }

    /** Starts in-memory stores (no Infinispan, nothing persisted) using the system UTC clock. */
    public static CpmDataStores startInMemory() {
        return startInMemory(Clock.systemUTC());
    }

    /** Starts in-memory stores (no Infinispan, nothing persisted) whose registrations read time from {@code clock}. */
    public static CpmDataStores startInMemory(Clock clock) {
        LOG.info("Starting in-memory data stores (nothing is persisted)");
        ClusterNode node = ClusterNode.standalone("");
        return new CpmDataStores(null, node, new InMemorySubscriberStore(), new InMemoryRegistrationStore(clock),
                new InMemoryGroupStore(), new InMemoryPendingFanOutStore(node), new InMemoryDeferredMessageStore(node),
                new InMemorySmsReceiptStore(clock), new InMemoryBanStore(clock));
    }

    /** The subscriber store. */
    public SubscriberStore subscribers() {
        return subscribers;
    }

    /** The registration store. */
    public RegistrationStore registrations() {
        return registrations;
    }

    /** The store of CPM Pre-defined Groups. */
    public GroupStore groups() {
        return groups;
    }

    /** Group messages accepted (202) and not yet sent to every member. */
    public PendingFanOutStore pendingFanOuts() {
        return pendingFanOuts;
    }

    /** Messages held for recipients who could not take them (deferred delivery). */
    public DeferredMessageStore deferred() {
        return deferred;
    }

    /** SMS sent with a delivery receipt asked for, until their receipts settle them (for IMDNs to their senders). */
    public SmsReceiptStore smsReceipts() {
        return smsReceipts;
    }

    /** Source addresses refused for a while (failed authentications, floods), shared by the cluster. */
    public BanStore bans() {
        return bans;
    }

    /** This process as the owner of work in the stores, and who else in the cluster is alive. */
    public ClusterNode node() {
        return node;
    }

    /** The underlying cache manager, or null for in-memory stores (for tests of this package). */
    EmbeddedCacheManager cacheManager() {
        return cacheManager;
    }

    /** Whether the stores take reads and writes: the cache manager runs (in-memory stores always do until closed). */
    public boolean isOpen() {
        return cacheManager == null ? !closed : cacheManager.getStatus().allowInvocations();
    }

    /** Stops the cache manager (flushing the file stores); does nothing for in-memory stores. */
    @Override
    public void close() {
        closed = true;
        if (cacheManager != null) {
            cacheManager.stop();
        }
    }

    /** Makes every relative file-store path absolute under {@code dataDir}; rejects absolute paths outside it. */
    private static void pinFileStores(String cacheName, ConfigurationBuilder builder, Path dataDir) {
        for (StoreConfigurationBuilder<?, ?> store : builder.persistence().stores()) {
            if (!(store instanceof SoftIndexFileStoreConfigurationBuilder fileStore)) {
                continue;
            }
            StoreConfiguration built = fileStore.create();
            SoftIndexFileStoreConfiguration config = (SoftIndexFileStoreConfiguration) built;
            String dataLocation = config.dataLocation();
            if (dataLocation != null) {
                fileStore.dataLocation(pin(cacheName, dataLocation, dataDir).toString());
            }
            String indexLocation = config.indexLocation();
            if (indexLocation != null) {
                fileStore.indexLocation(pin(cacheName, indexLocation, dataDir).toString());
            }
        }
    }

    private static Path pin(String cacheName, String location, Path dataDir) {
        Path path = Path.of(location);
        Path resolved = path.isAbsolute() ? path.normalize() : dataDir.resolve(path).normalize();
        if (!resolved.startsWith(dataDir)) {
            throw new IllegalArgumentException("file store of cache '" + cacheName + "' points to " + resolved
                    + ", outside the data directory " + dataDir);
        }
        return resolved;
    }
}
