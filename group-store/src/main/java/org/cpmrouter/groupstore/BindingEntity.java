package org.cpmrouter.groupstore;

import java.util.List;

import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;

/**
 * Storage form of one {@link Binding} inside a {@link RegistrationEntity}, marshalled with ProtoStream.
 * The address of record is the cache key, so it is not repeated here. Field 6 (the Path) came later: entries
 * written before it read as bindings without a Path.
 */
@ProtoName("Binding")
record BindingEntity(
        @ProtoField(number = 1) String contact,
        @ProtoField(number = 2, defaultValue = "0") long expiresAtMillis,
        @ProtoField(number = 3) String callId,
        @ProtoField(number = 4, defaultValue = "0") long cseq,
        @ProtoField(number = 5, defaultValue = "0") long updatedAtMillis,
        @ProtoField(number = 6) List<String> path,
        @ProtoField(number = 7) String instance) {

    static BindingEntity from(Binding b) {
        return new BindingEntity(b.contact(), b.expiresAtMillis(), b.callId(), b.cseq(), b.updatedAtMillis(), b.path(),
                b.instance());
    }

    Binding toBinding(String aor) {
        return new Binding(aor, contact, expiresAtMillis, callId == null ? "" : callId, cseq, updatedAtMillis,
                path == null ? List.of() : path, instance);
    }
}
