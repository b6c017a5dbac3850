package org.cpmrouter.groupstore;

class InMemorySmsReceiptStoreTest extends SmsReceiptStoreContract {

    @Override
    SmsReceiptStore createStore() {
        return new InMemorySmsReceiptStore(clock);
    }
}
