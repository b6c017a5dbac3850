package org.cpmrouter.groupstore;

import java.util.List;

import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;

/**
 * Storage form of one recipient's index in the {@code deferred-messages} cache: the sequence numbers of its held
 * messages in arrival order, the next number to give, and their bytes. The store-wide byte count is an entry of
 * the same form with no sequences. Replaced as a whole with compare-and-set, so concurrent holds for one
 * recipient (on any node) get distinct numbers and the caps hold.
 */
@ProtoName("DeferredIndex")
record DeferredIndexEntity(
        @ProtoField(number = 1, defaultValue = "1") long nextSequence,
        @ProtoField(number = 2) List<Long> sequences,
        @ProtoField(number = 3, defaultValue = "0") long bytes) {

    List<Long> held() {
        return sequences == null ? List.of() : sequences;
    }
}
