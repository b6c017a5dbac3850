package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;

import org.infinispan.Cache;
import org.infinispan.container.entries.CacheEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the registration store contract against {@link InfinispanRegistrationStore} with the shipped configuration,
 * and checks the cache entry lifespan follows the latest binding expiry.
 */
class InfinispanRegistrationStoreTest extends RegistrationStoreContract {

    @TempDir
    Path dataDir;

    private CpmDataStores stores;

    @Override
    RegistrationStore createStore(MutableClock clock) {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir, clock);
        return stores.registrations();
    }

    @AfterEach
    void stop() {
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void should_give_the_cache_entry_the_lifespan_of_the_latest_expiry_when_bindings_change() {
        Cache<String, RegistrationEntity> cache =
                stores.cacheManager().getCache(InfinispanRegistrationStore.REGISTRATIONS_CACHE);

        store.bind(AOR, PHONE, 60, "call-phone", 1);
        assertEquals(60_000, lifespanOf(cache));

        store.bind(AOR, LAPTOP, 3600, "call-laptop", 1);
        assertEquals(3_600_000, lifespanOf(cache));

        store.unbind(AOR, LAPTOP);
        assertEquals(60_000, lifespanOf(cache));

        store.unbind(AOR, PHONE);
        assertNull(cache.getAdvancedCache().getCacheEntry(AOR), "no entry is kept for an AOR without bindings");
    }

    private static long lifespanOf(Cache<String, RegistrationEntity> cache) {
        CacheEntry<String, RegistrationEntity> entry = cache.getAdvancedCache().getCacheEntry(AOR);
        return entry.getLifespan();
    }
}
