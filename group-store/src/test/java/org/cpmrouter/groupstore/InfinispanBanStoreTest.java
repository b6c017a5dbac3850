package org.cpmrouter.groupstore;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The ban store contract against Infinispan with the shipped configuration. */
class InfinispanBanStoreTest extends BanStoreContract {

    @TempDir
    Path dataDir;

    private CpmDataStores stores;

    @Override
    BanStore createStore() {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir, clock);
        return stores.bans();
    }

    @AfterEach
    void stop() {
        if (stores != null) {
            stores.close();
        }
    }
}
