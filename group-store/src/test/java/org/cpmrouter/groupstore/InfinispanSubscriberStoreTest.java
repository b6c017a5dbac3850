package org.cpmrouter.groupstore;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs the subscriber store contract against {@link InfinispanSubscriberStore} with the shipped configuration. */
class InfinispanSubscriberStoreTest extends SubscriberStoreContract {

    @TempDir
    Path dataDir;

    private CpmDataStores stores;

    @Override
    SubscriberStore createStore() {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        return stores.subscribers();
    }

    @AfterEach
    void stop() {
        if (stores != null) {
            stores.close();
        }
    }
}
