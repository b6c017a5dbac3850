package org.cpmrouter.groupstore;

import java.util.List;

import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;

/**
 * Storage form of a {@link Subscriber} (value of the {@code subscribers} cache), marshalled with ProtoStream.
 * Field numbers are part of the persisted format: never renumber, only add. Fields 5 to 8 (the digest credentials)
 * came later and are optional: a subscriber stored before them loads with no credentials.
 */
@ProtoName("Subscriber")
record SubscriberEntity(
        @ProtoField(number = 1) String publicIdentity,
        @ProtoField(number = 2) List<String> telAliases,
        @ProtoField(number = 3, defaultValue = "false") boolean cpmEnabled,
        @ProtoField(number = 4, defaultValue = "false") boolean barred,
        @ProtoField(number = 5) String digestUsername,
        @ProtoField(number = 6) String digestRealm,
        @ProtoField(number = 7) String ha1Md5,
        @ProtoField(number = 8) String ha1Sha256) {

    static SubscriberEntity from(Subscriber s) {
        DigestCredentials c = s.credentials();
        return new SubscriberEntity(s.publicIdentity(), s.telAliases(), s.cpmEnabled(), s.barred(),
                c == null ? null : c.username(), c == null ? null : c.realm(),
                c == null ? null : c.ha1Md5(), c == null ? null : c.ha1Sha256());
    }

    Subscriber toSubscriber() {
        DigestCredentials credentials = digestUsername == null || digestRealm == null || ha1Md5 == null
                || ha1Sha256 == null ? null : new DigestCredentials(digestUsername, digestRealm, ha1Md5, ha1Sha256);
        return new Subscriber(publicIdentity, telAliases == null ? List.of() : telAliases, cpmEnabled, barred,
                credentials);
    }

    @Override
    public String toString() {
        return "SubscriberEntity[" + publicIdentity + (digestUsername == null ? "" : ", credentials of " + digestUsername)
                + "]";
    }
}
