package org.cpmrouter.groupstore;

import java.util.List;

import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;

/**
 * Storage form of a {@link Group} (value of the {@code groups} cache, keyed by group URI), marshalled with
 * ProtoStream. The send policy is stored by its enum name so that reordering {@link SendPolicy} never changes
 * what a stored group means. Field numbers are part of the persisted format: never renumber, only add.
 */
@ProtoName("Group")
record GroupEntity(
        @ProtoField(number = 1) String uri,
        @ProtoField(number = 2) String displayName,
        @ProtoField(number = 3) List<String> members,
        @ProtoField(number = 4) String sendPolicy,
        @ProtoField(number = 5) List<String> allowedSenders,
        @ProtoField(number = 6) List<String> supportedServices) {

    static GroupEntity from(Group g) {
        return new GroupEntity(g.uri(), g.displayName(), g.members(), g.sendPolicy().name(), g.allowedSenders(),
                g.supportedServices());
    }

    Group toGroup() {
        return new Group(uri, displayName, orEmpty(members), SendPolicy.valueOf(sendPolicy), orEmpty(allowedSenders),
                orEmpty(supportedServices));
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
