package org.cpmrouter.groupstore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A CPM Pre-defined Group: its URI (the OMA list-service URI), display name, members, who may send to it, and
 * the services it supports. Identities are canonical URI strings ({@code sip:alice@cpm.example.com},
 * {@code tel:+15551230001}). Members keep their order and appear once. Immutable.
 *
 * @param uri               the group's address, e.g. {@code sip:family@cpm.example.com}
 * @param displayName       shown to members ("Family")
 * @param members           member identities, in order, no duplicates
 * @param sendPolicy        who may send to the group
 * @param allowedSenders    identities allowed to send when the policy is {@link SendPolicy#ALLOW_LIST}
 * @param supportedServices service identifiers (ICSIs) the group supports; empty means CPM messaging only
 */
public record Group(String uri, String displayName, List<String> members, SendPolicy sendPolicy,
                    List<String> allowedSenders, List<String> supportedServices) {

    public Group {
        Objects.requireNonNull(uri, "uri");
        if (uri.isBlank() || !(uri.startsWith("sip:") || uri.startsWith("sips:"))) {
            throw new IllegalArgumentException("a group URI is a SIP URI, got '" + uri + "'");
        }
        displayName = displayName == null ? "" : displayName;
        members = unique(members, "member");
        sendPolicy = sendPolicy == null ? SendPolicy.MEMBERS_ONLY : sendPolicy;
        allowedSenders = unique(allowedSenders, "allowed sender");
        supportedServices = supportedServices == null ? List.of() : List.copyOf(supportedServices);
    }

    /** A members-only group supporting CPM messaging. */
    public static Group of(String uri, String displayName, List<String> members) {
        return new Group(uri, displayName, members, SendPolicy.MEMBERS_ONLY, List.of(), List.of());
    }

    private static List<String> unique(List<String> identities, String what) {
        if (identities == null) {
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String identity : identities) {
            if (identity == null || identity.isBlank()) {
                throw new IllegalArgumentException("blank " + what);
            }
            seen.add(identity.trim());
        }
        return List.copyOf(seen);
    }

    public boolean isMember(String identity) {
        return members.contains(identity);
    }

    public Group withMembers(List<String> newMembers) {
        return new Group(uri, displayName, newMembers, sendPolicy, allowedSenders, supportedServices);
    }

    public Group withMember(String member) {
        List<String> next = new ArrayList<>(members);
        next.add(member);
        return withMembers(next);
    }

    public Group withoutMember(String member) {
        List<String> next = new ArrayList<>(members);
        next.remove(member);
        return withMembers(next);
    }
}
