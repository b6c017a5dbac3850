package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the group store contract against {@link InfinispanGroupStore} with the shipped configuration, and checks
 * that groups survive a restart on the same data directory.
 */
class InfinispanGroupStoreTest extends GroupStoreContract {

    @TempDir
    Path dataDir;

    private CpmDataStores stores;

    @Override
    GroupStore createStore() {
        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        return stores.groups();
    }

    @AfterEach
    void stop() {
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void should_keep_groups_and_their_changes_when_restarted_on_the_same_data_dir() {
        Group friends = new Group("sip:friends@cpm.example.com", "Friends", List.of(CAROL), SendPolicy.ALLOW_LIST,
                List.of(ALICE), List.of("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"));
        store.create(FAMILY);
        store.create(friends);
        store.addMember(FAMILY_URI, CAROL);
        store.removeMember(FAMILY_URI, BOB);
        store.create(Group.of("sip:gone@cpm.example.com", "Gone", List.of(ALICE)));
        store.delete("sip:gone@cpm.example.com");
        stores.close();

        stores = CpmDataStores.start(TestPaths.INFINISPAN_XML, dataDir);
        GroupStore restarted = stores.groups();

        assertEquals(List.of(FAMILY.withMembers(List.of(ALICE, CAROL)), friends), restarted.list());
        assertEquals(Optional.of(friends), restarted.find(friends.uri()));
        assertEquals(2, restarted.count());
    }
}
