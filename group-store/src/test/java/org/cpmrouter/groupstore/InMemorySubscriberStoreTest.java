package org.cpmrouter.groupstore;

/** Runs the subscriber store contract against {@link InMemorySubscriberStore}. */
class InMemorySubscriberStoreTest extends SubscriberStoreContract {

    @Override
    SubscriberStore createStore() {
        return new InMemorySubscriberStore();
    }
}
