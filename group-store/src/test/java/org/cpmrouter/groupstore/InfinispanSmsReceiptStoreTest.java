package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMS receipt store contract against Infinispan with the shipped configuration, and across a restart. */
class InfinispanSmsReceiptStoreTest extends SmsReceiptStoreContract {

    @TempDir
    Path dataDir;

    private CpmDataStores stores;

    @Override
    SmsReceiptStore createStore() {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir, clock);
        return stores.smsReceipts();
    }

    @AfterEach
    void stop() {
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void should_still_map_a_receipt_to_its_message_after_a_restart() {
        AwaitedSmsReceipt parts = sms("m9", "A1", "A2");
        store.expect(parts);
        assertEquals(Optional.empty(), store.settle("A1", true));
        stores.close();

        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir, clock);

        assertEquals(Optional.of(parts), stores.smsReceipts().settle("A2", true));
    }
}
