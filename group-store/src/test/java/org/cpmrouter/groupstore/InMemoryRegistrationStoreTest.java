package org.cpmrouter.groupstore;

/** Runs the registration store contract against {@link InMemoryRegistrationStore}. */
class InMemoryRegistrationStoreTest extends RegistrationStoreContract {

    @Override
    RegistrationStore createStore(MutableClock clock) {
        return new InMemoryRegistrationStore(clock);
    }
}
