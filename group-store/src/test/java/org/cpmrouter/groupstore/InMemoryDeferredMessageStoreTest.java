package org.cpmrouter.groupstore;

class InMemoryDeferredMessageStoreTest extends DeferredMessageStoreContract {

    @Override
    DeferredMessageStore createStore() {
        return new InMemoryDeferredMessageStore();
    }
}
