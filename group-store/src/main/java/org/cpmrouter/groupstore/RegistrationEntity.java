package org.cpmrouter.groupstore;

import java.util.List;

import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;

/**
 * Storage form of all bindings of one address of record (value of the {@code registrations} cache, keyed by AOR),
 * marshalled with ProtoStream. Bindings are kept most recently updated first.
 */
@ProtoName("Registration")
record RegistrationEntity(@ProtoField(number = 1) List<BindingEntity> bindings) {

    static RegistrationEntity from(List<Binding> bindings) {
        return new RegistrationEntity(bindings.stream().map(BindingEntity::from).toList());
    }

    List<Binding> toBindings(String aor) {
        return bindings == null ? List.of() : bindings.stream().map(b -> b.toBinding(aor)).toList();
    }
}
