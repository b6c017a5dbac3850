package org.cpmrouter.groupstore;

import java.util.List;

import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;

/**
 * Storage form of a {@link Subscriber} (value of the {@code subscribers} cache), marshalled with ProtoStream.
 * Field numbers are part of the persisted format: never renumber, only add.
 */
@ProtoName("Subscriber")
record SubscriberEntity(
        @ProtoField(number = 1) String publicIdentity,
        @ProtoField(number = 2) List<String> telAliases,
        @ProtoField(number = 3, defaultValue = "false") boolean cpmEnabled,
        @ProtoField(number = 4, defaultValue = "false") boolean barred) {

    static SubscriberEntity from(Subscriber s) {
        return new SubscriberEntity(s.publicIdentity(), s.telAliases(), s.cpmEnabled(), s.barred());
    }

    Subscriber toSubscriber() {
        return new Subscriber(publicIdentity, telAliases == null ? List.of() : telAliases, cpmEnabled, barred);
    }
}
