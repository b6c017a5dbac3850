package org.cpmrouter.groupstore;

import java.util.List;

import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;

/**
 * Storage form of a {@link PendingFanOut} (value of the {@code pending-fanouts} cache, keyed by its id), marshalled
 * with ProtoStream. Field numbers are part of the persisted format: never renumber, only add.
 */
@ProtoName("PendingFanOut")
record PendingFanOutEntity(
        @ProtoField(number = 1) String id,
        @ProtoField(number = 2) String groupUri,
        @ProtoField(number = 3) String sender,
        @ProtoField(number = 4) List<String> headerLines,
        @ProtoField(number = 5) byte[] body,
        @ProtoField(number = 6) List<String> recipients,
        @ProtoField(number = 7) String owner) {

    static PendingFanOutEntity from(PendingFanOut p) {
        return new PendingFanOutEntity(p.id(), p.groupUri(), p.sender(), p.headerLines(), p.body(), p.recipients(),
                p.owner());
    }

    PendingFanOut toPending() {
        return new PendingFanOut(id, groupUri, sender, headerLines == null ? List.of() : headerLines,
                body == null ? new byte[0] : body, recipients == null ? List.of() : recipients, owner);
    }
}
