package org.cpmrouter.groupstore;

import java.util.List;

/**
 * Group messages accepted for later delivery: the Controlling Function records one before it answers 202, narrows
 * it as members are answered, and removes it when the last one is; after a restart it sends what is left. With the
 * Infinispan store the record is on disk before the 202 goes out, so a crash loses no accepted message (a member
 * may get a copy twice: the copies carry the same IMDN Message-ID, by which clients recognise a duplicate).
 */
public interface PendingFanOutStore {

    /** Records an accepted message (or replaces the record with the same id). */
    void save(PendingFanOut pending);

    /** Forgets a message whose every copy has been answered. */
    void remove(String id);

    /** Every message still to finish, in no particular order. */
    List<PendingFanOut> all();
}
