package org.cpmrouter.groupstore;

/** The ban store contract in memory. */
class InMemoryBanStoreTest extends BanStoreContract {

    @Override
    BanStore createStore() {
        return new InMemoryBanStore(clock);
    }
}
