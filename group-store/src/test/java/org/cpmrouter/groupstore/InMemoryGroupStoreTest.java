package org.cpmrouter.groupstore;

/** Runs the group store contract against {@link InMemoryGroupStore}. */
class InMemoryGroupStoreTest extends GroupStoreContract {

    @Override
    GroupStore createStore() {
        return new InMemoryGroupStore();
    }
}
